set -euo pipefail
kubectl apply -f deployment.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# Preview the Service that kubectl expose would create: it copies the Deployment's selector.
kubectl expose deployment echo --name=echo --port=80 --target-port=http --dry-run=client -o yaml

# Create it for real, then call it by name from the client Pod.
kubectl expose deployment echo --name=echo --port=80 --target-port=http
for _ in 1 2 3 4; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo/hostname"
  echo
done
