set -euo pipefail
kubectl apply -f deployment.yaml -f client.yaml -f service.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# EXTERNAL-IP shows 203.0.113.10: nobody owns that address, Kubernetes did not check.
kubectl get service echo

# From a Pod, traffic to 203.0.113.10:80 never leaves the node: the Service rules capture it.
for _ in 1 2 3 4; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://203.0.113.10/hostname"
  echo
done

# Only the Service's port is captured; any other port on that address goes out as usual.
kubectl exec deploy/client -- curl -sS --max-time 3 "http://203.0.113.10:81/" ||
  echo "expected: port 81 is not part of the Service, so nothing answers"
