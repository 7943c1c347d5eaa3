set -euo pipefail
kubectl apply -f outside-server.yaml -f client.yaml
kubectl rollout status deployment/outside --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# The server's "Pod IP" is its node's IP; the client runs on another node, with a Pod IP.
kubectl get pods -o wide

SERVER_IP=$(kubectl get pods -l app.kubernetes.io/name=outside -o jsonpath='{.items[0].status.podIP}')
kubectl get pods -l app.kubernetes.io/name=client \
  -o jsonpath='client Pod IP: {.items[0].status.podIP}, its node: {.items[0].status.hostIP}{"\n"}'

# The server reports the source address it saw: the client's node, not the client Pod.
kubectl exec deploy/client -- curl -sS --max-time 5 "http://${SERVER_IP}:18082/whoami"
echo
