set -euo pipefail
kubectl delete -f httproute-preview.yaml -f httproute.yaml -f gateway.yaml --ignore-not-found
kubectl delete -f echo-v2.yaml -f echo-v1.yaml --ignore-not-found
