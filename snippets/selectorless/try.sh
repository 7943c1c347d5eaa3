set -euo pipefail
kubectl apply -f server.yaml -f client.yaml -f service.yaml
kubectl wait --for=condition=Ready pod/outside-server --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# A Service without a selector gets a cluster IP and a DNS name, but no endpoints.
kubectl get service legacy-api
kubectl get endpointslices -l kubernetes.io/service-name=legacy-api
kubectl exec deploy/client -- curl -sS --max-time 5 http://legacy-api/hostname ||
  echo "no endpoints: the connection is refused (or times out)"

# The server stands in for a machine outside the cluster: only its address matters.
# Write that address into the slice and apply it.
address=$(kubectl get pod outside-server -o jsonpath='{.status.podIP}')
sed "s/192\.0\.2\.10/${address}/" endpointslice.yaml | kubectl apply -f -
kubectl get endpointslices -l kubernetes.io/service-name=legacy-api

# kube-proxy programs the rules within a second or two; then the Service answers.
for _ in $(seq 1 15); do
  kubectl exec deploy/client -- curl -sS --max-time 2 http://legacy-api/hostname && break
  sleep 1
done
# One more call, which fails the step if the rules never came.
kubectl exec deploy/client -- curl -sS --max-time 2 http://legacy-api/hostname
