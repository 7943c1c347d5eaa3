set -euo pipefail
kubectl apply -f deployment.yaml -f client.yaml -f locked.yaml -f deny-locked.yaml
kubectl apply -f service.yaml -f service-typo.yaml -f service-port-name.yaml -f service-port-number.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/locked --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# Five Services, all with a cluster IP; only echo works.
kubectl get services -o wide
kubectl exec deploy/client -- curl -sS --max-time 5 http://echo/hostname
echo
