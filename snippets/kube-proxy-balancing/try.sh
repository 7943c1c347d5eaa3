set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s
kubectl get endpointslices -l kubernetes.io/service-name=echo

# Six curl processes, six TCP connections: kube-proxy picks a Pod for each one.
for _ in 1 2 3 4 5 6; do
  kubectl exec deploy/client -- curl -sS --max-time 5 http://echo/hostname
  echo
done

# One curl process, six requests on one kept-alive connection: one Pod answers them all.
kubectl exec deploy/client -- curl -sS --max-time 5 -w '\n' \
  http://echo/hostname http://echo/hostname http://echo/hostname \
  http://echo/hostname http://echo/hostname http://echo/hostname | sort | uniq -c

# The claim, as a test: the requests of one connection never reach two Pods.
BACKENDS=$(kubectl exec deploy/client -- curl -sS --max-time 5 -w '\n' \
  http://echo/hostname http://echo/hostname http://echo/hostname http://echo/hostname | sort -u | wc -l)
echo "Pods that answered one connection: ${BACKENDS}"
test "${BACKENDS}" -eq 1
