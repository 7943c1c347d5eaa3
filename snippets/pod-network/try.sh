set -euo pipefail
kubectl apply -f echo.yaml -f service.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# Node network: each node's InternalIP, and the slice of the pod CIDR it was given.
kubectl get nodes -o wide
kubectl get nodes -o custom-columns=NODE:.metadata.name,POD-CIDR:.spec.podCIDR

# Service network: the range cluster IPs come from (ServiceCIDR API, GA in 1.33).
kubectl get servicecidrs
kubectl get service echo

# Pod network: every Pod IP lies in the pod CIDR of the node the Pod runs on.
kubectl get pods -o wide

# 1. Container to container: the client container reaches its sidecar on localhost.
kubectl exec deploy/client -c client -- curl -sS --max-time 5 http://localhost:9090/hostname
echo

# 2. Pod to Pod: call an echo Pod by its IP; it sees the client's own Pod IP (no NAT).
ECHO_POD_IP=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].status.podIP}')
CLIENT_POD_IP=$(kubectl get pods -l app.kubernetes.io/name=client -o jsonpath='{.items[0].status.podIP}')
echo "client Pod IP: ${CLIENT_POD_IP}"
kubectl exec deploy/client -c client -- curl -sS --max-time 5 "http://${ECHO_POD_IP}:8081/whoami"
echo

# 3. Pod to Service: the destination (cluster IP) is rewritten, the source is not.
kubectl exec deploy/client -c client -- curl -sS --max-time 5 http://echo:81/whoami
echo
