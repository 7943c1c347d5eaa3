set -euo pipefail

# kubectl port-forward to a Service picks ONE Pod behind it and tunnels TCP to that
# Pod through the API server and the kubelet: no cluster IP, no kube-proxy, no balancing.
kubectl port-forward service/echo 18080:80 &
forward_pid=$!
trap 'kill "$forward_pid" 2>/dev/null || true' EXIT
for _ in $(seq 30); do
  curl -fsS -o /dev/null http://127.0.0.1:18080/hostname && break
  sleep 1
done

# Six requests, six new connections: every answer names the same Pod.
answers=$(for _ in 1 2 3 4 5 6; do curl -fsS http://127.0.0.1:18080/hostname; echo; done)
echo "$answers"
if [ "$(sort -u <<<"$answers" | wc -l)" -ne 1 ]; then
  echo "expected one Pod behind port-forward, got several" >&2
  exit 1
fi
