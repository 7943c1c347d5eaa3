set -euo pipefail

# A class no controller on this cluster implements: the default implementation must ignore it.
kubectl apply -f service-other-class.yaml

# EXTERNAL-IP stays <pending> and PORT(S) shows no nodePort (80/TCP only).
kubectl get service echo-internal

# It is still a ClusterIP Service: the name works inside the cluster.
kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo-internal/hostname"
echo
