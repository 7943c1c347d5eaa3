set -euo pipefail

# The API server allocated a healthCheckNodePort because the Service is a LoadBalancer
# with externalTrafficPolicy: Local. kube-proxy answers it on every node.
hc_port=$(kubectl get service echo-local -o jsonpath='{.spec.healthCheckNodePort}')
echo "healthCheckNodePort: $hc_port"

# 200 and localEndpoints 1 on the workers; 503 and localEndpoints 0 on the control-plane
# node, which runs no echo Pod. A load balancer uses this answer to skip that node.
for node_ip in $(kubectl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'); do
  echo "== node $node_ip"
  kubectl exec deploy/client -- curl -sS --max-time 5 -w ' (HTTP %{http_code})' "http://$node_ip:$hc_port/"
  echo
done
