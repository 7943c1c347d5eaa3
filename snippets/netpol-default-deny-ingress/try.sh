set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f client.yaml -f other.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s
kubectl rollout status deployment/other --timeout=120s

# No NetworkPolicy selects the echo Pods yet, so they accept traffic from anywhere.
kubectl get networkpolicies
kubectl exec deploy/client -- curl -sS --max-time 5 http://echo/hostname
echo
kubectl exec deploy/other -- curl -sS --max-time 5 http://echo/hostname
echo
