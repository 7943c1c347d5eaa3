set -euo pipefail

# Run on your machine, outside the cluster: it needs a route to the nodes' InternalIPs.
local_port=$(kubectl get service echo-local -o jsonpath='{.spec.ports[?(@.name=="whoami")].nodePort}')
cluster_port=$(kubectl get service echo-cluster -o jsonpath='{.spec.ports[?(@.name=="whoami")].nodePort}')

# /whoami shows the source address the Pod saw. Local keeps yours; Cluster shows a node's.
# On the control-plane node (no echo Pod) the Local nodePort drops the traffic: no answer.
for node_ip in $(kubectl get nodes -o jsonpath='{.items[*].status.addresses[?(@.type=="InternalIP")].address}'); do
  echo "== node $node_ip"
  echo "Local:   $(curl -sS --max-time 3 "http://$node_ip:$local_port/whoami" || echo 'no answer')"
  echo "Cluster: $(curl -sS --max-time 3 "http://$node_ip:$cluster_port/whoami")"
done
