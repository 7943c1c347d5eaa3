set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml
kubectl rollout status deployment/echo --timeout=120s

# Two Service ports, two nodePorts: 80:30036 as requested, 9090 got one from the range.
kubectl get service echo
ADMIN_NODE_PORT=$(kubectl get service echo -o jsonpath='{.spec.ports[?(@.name=="admin")].nodePort}')
echo "admin nodePort: ${ADMIN_NODE_PORT}"

# Every node answers on both nodePorts; take the InternalIP of each node in turn.
for NODE_IP in $(kubectl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'); do
  echo "node ${NODE_IP}:"
  curl -sS --max-time 5 "http://${NODE_IP}:30036/hostname"
  echo
  curl -sS --max-time 5 "http://${NODE_IP}:${ADMIN_NODE_PORT}/hostname"
  echo
done
