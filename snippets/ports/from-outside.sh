set -euo pipefail

# Run on your machine, outside the cluster: NodeIP:nodePort -> PodIP:targetPort.
node_ip=$(kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
node_port=$(kubectl get service web -o jsonpath='{.spec.ports[?(@.name=="http")].nodePort}')
curl -sS --max-time 5 "http://$node_ip:$node_port/hostname"
echo
