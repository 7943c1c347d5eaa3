set -euo pipefail
kubectl apply -f deployment.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# A quick ClusterIP Service for debugging: kubectl expose copies the Deployment's
# selector; --target-port names the container port.
kubectl expose deployment echo --name=echo --port=80 --target-port=http
kubectl describe service echo
# Wait until both Pods are ready endpoints of the new Service.
for _ in $(seq 30); do
  ready=$(kubectl get endpointslices -l kubernetes.io/service-name=echo \
    -o jsonpath='{.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}')
  [ "$(wc -w <<<"$ready")" -ge 2 ] && break
  sleep 1
done
# Stop here if they never did.
[ "$(wc -w <<<"$ready")" -ge 2 ]
