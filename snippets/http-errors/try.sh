set -euo pipefail

# The GatewayClass: kind's by default; on another cluster set GATEWAY_CLASS to one of
# `kubectl get gatewayclass`.
GATEWAY_CLASS=${GATEWAY_CLASS:-cloud-provider-kind}
kubectl get gatewayclass "$GATEWAY_CLASS" >/dev/null 2>&1 ||
  { echo "no GatewayClass '$GATEWAY_CLASS' on this cluster: set GATEWAY_CLASS (kubectl get gatewayclass)" >&2; exit 1; }

kubectl apply -f deployment.yaml -f service.yaml -f drained.yaml
sed "s/gatewayClassName: cloud-provider-kind/gatewayClassName: $GATEWAY_CLASS/" gateway.yaml | kubectl apply -f -
kubectl apply -f httproute.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl wait gateway/errors --for=condition=Programmed --timeout=180s
kubectl wait httproute/errors --timeout=60s \
  --for=jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}'=True
ip=$(kubectl get gateway errors -o jsonpath='{.status.addresses[0].value}')

# The drained Service selects a Deployment scaled to zero: it has no endpoints.
kubectl get endpointslices -l kubernetes.io/service-name=drained

# 1. A normal answer, once the proxy has loaded the route (hence the retries).
curl -fsS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors "http://$ip/echo?msg=hello"
echo

# Status line, headers, body and timing of one request, for the comparisons below.
show() {
  curl -sS --max-time 10 -i -w '\n[connect %{time_connect}s, first byte %{time_starttransfer}s]\n' "$1"
}

# 2. The BACKEND returns 502 (the route sends /backend-502 to the echo Pods' "fail"
#    container, which answers every request with 502): the gateway passes it through,
#    with the backend's own body.
show "http://$ip/backend-502"

# 3. The GATEWAY returns 503: it has no endpoint to send the request to. The body is
#    the proxy's own text, and the backend never sees the request.
show "http://$ip/drained"

# The backends' logs (the "fail" container of both Pods, each line prefixed with its Pod)
# have the request of case 2, and nothing for case 3.
kubectl logs -l app.kubernetes.io/name=echo -c fail --tail=20 --prefix | grep -F 'GET /echo'
