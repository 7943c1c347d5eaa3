set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# The Service got a virtual IP from the service CIDR; its endpoints are the ready Pods.
kubectl get service echo -o wide
kubectl get endpointslices -l kubernetes.io/service-name=echo

# Call the Service by name from the client Pod, a few times: both Pod names answer.
for _ in 1 2 3 4 5 6; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo/hostname"
  echo
done
