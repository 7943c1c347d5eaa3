set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f hostport.yaml -f hostnetwork.yaml
kubectl rollout status deployment/web --timeout=120s
kubectl rollout status daemonset/hostport-echo --timeout=120s
kubectl rollout status daemonset/hostnet-echo --timeout=120s

# The hostNetwork Pods carry their node's IP; the others have Pod IPs.
kubectl get pods -o wide

# Pick a worker's InternalIP and the nodePort the API server allocated for port 80.
NODE_IP=$(kubectl get nodes -l '!node-role.kubernetes.io/control-plane' \
  -o jsonpath='{.items[0].status.addresses[?(@.type=="InternalIP")].address}')
NODE_PORT=$(kubectl get service web -o jsonpath='{.spec.ports[?(@.name=="http")].nodePort}')
echo "node ${NODE_IP}, nodePort ${NODE_PORT}"

# Ask each one who is calling (/whoami answers with the source address it saw).
echo "NodePort (kube-proxy rules, SNAT):"
curl -sS --max-time 5 "http://${NODE_IP}:${NODE_PORT}/whoami"
echo
echo "hostPort 18080 (CNI portmap DNAT, source kept):"
curl -sS --max-time 5 "http://${NODE_IP}:18080/whoami"
echo
echo "hostNetwork 18081 (a socket on the node itself):"
curl -sS --max-time 5 "http://${NODE_IP}:18081/whoami"
echo
