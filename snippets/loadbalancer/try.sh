set -euo pipefail
kubectl apply -f deployment.yaml -f client.yaml -f service.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# The load balancer implementation fills in status.loadBalancer.ingress: an IP, or a
# hostname on clouds such as AWS (the jsonpath prints whichever is set).
kubectl wait --for=jsonpath='{.status.loadBalancer.ingress}' service/echo --timeout=180s ||
  { echo "Service echo got no load balancer address: does this cluster implement type LoadBalancer?" >&2; exit 1; }
LB_IP=$(kubectl get service echo -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}')

# One Service, three ways in: EXTERNAL-IP:80, every node's nodePort, and the cluster IP.
kubectl get service echo

# Six separate connections from outside: both Pods answer.
for _ in 1 2 3 4 5 6; do
  curl -sS --max-time 5 "http://${LB_IP}/hostname"
  echo
done

# Six requests on one kept-alive connection: the same Pod answers every time.
curl -sS --max-time 5 -w '\n' "http://${LB_IP}/hostname" "http://${LB_IP}/hostname" \
  "http://${LB_IP}/hostname" "http://${LB_IP}/hostname" "http://${LB_IP}/hostname" "http://${LB_IP}/hostname"
