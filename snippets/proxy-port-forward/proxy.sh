set -euo pipefail
ns=$(kubectl config view --minify -o jsonpath='{..namespace}')
ns=${ns:-default}

# The API server proxies to a Service at
#   /api/v1/namespaces/<ns>/services/[https:]<name>[:<port name or number>]/proxy/<path>
# kubectl expose left the Service's only port unnamed, so it is addressed by number (80).
# kubectl get --raw sends one request there with your credentials, no local listener:
kubectl get --raw "/api/v1/namespaces/$ns/services/echo:80/proxy/hostname"
echo

# kubectl proxy serves the whole API on a local port, on loopback only by default.
# Run it in the background and stop it when this script ends.
kubectl proxy --port=18001 &
proxy_pid=$!
trap 'kill "$proxy_pid" 2>/dev/null || true' EXIT
for _ in $(seq 30); do
  curl -fsS -o /dev/null http://127.0.0.1:18001/version && break
  sleep 1
done
curl -fsS "http://127.0.0.1:18001/api/v1/namespaces/$ns/services/echo:80/proxy/hostname"
echo
curl -fsS "http://127.0.0.1:18001/api/v1/namespaces/$ns/services/echo:80/proxy/echo?msg=through-the-api-server"
echo
