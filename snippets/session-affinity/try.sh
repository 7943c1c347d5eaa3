set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f service-no-affinity.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s
kubectl get service echo-sticky -o jsonpath='{.spec.sessionAffinity} {.spec.sessionAffinityConfig}{"\n"}'

# Every curl is a new TCP connection from the same Pod IP: with ClientIP affinity they all
# reach the same echo Pod...
for _ in 1 2 3 4 5 6 7 8; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo-sticky/hostname"
  echo
done

# ...without it, each connection is balanced on its own.
for _ in 1 2 3 4 5 6 7 8; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo/hostname"
  echo
done
