set -euo pipefail

# The GatewayClass is cluster-scoped and comes with the implementation; its status lists
# the features (resources and optional behaviours) the implementation supports.
kubectl get gatewayclass
# The GatewayClass: kind's by default; on another cluster set GATEWAY_CLASS to one of
# `kubectl get gatewayclass`.
GATEWAY_CLASS=${GATEWAY_CLASS:-cloud-provider-kind}
kubectl get gatewayclass "$GATEWAY_CLASS" >/dev/null 2>&1 ||
  { echo "no GatewayClass '$GATEWAY_CLASS' on this cluster: set GATEWAY_CLASS (kubectl get gatewayclass)" >&2; exit 1; }
kubectl get gatewayclass "$GATEWAY_CLASS" -o jsonpath='{.status.supportedFeatures[*].name}'
echo

kubectl apply -f echo-v1.yaml -f echo-v2.yaml
sed "s/gatewayClassName: cloud-provider-kind/gatewayClassName: $GATEWAY_CLASS/" gateway.yaml | kubectl apply -f -
kubectl apply -f httproute.yaml -f httproute-preview.yaml
kubectl rollout status deployment/echo-v1 --timeout=120s
kubectl rollout status deployment/echo-v2 --timeout=120s

# The implementation reports Programmed once the data plane has an address.
kubectl wait gateway/web --for=condition=Programmed --timeout=180s
kubectl get gateway web
# Each route reports, per parentRef, whether the Gateway accepted it.
kubectl wait httproute/echo httproute/preview --timeout=60s \
  --for=jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}'=True
kubectl get httproute echo preview \
  -o custom-columns='ROUTE:.metadata.name,LISTENER:.spec.parentRefs[0].sectionName,ACCEPTED:.status.parents[0].conditions[?(@.type=="Accepted")].status'
ip=$(kubectl get gateway web -o jsonpath='{.status.addresses[0].value}')

# curl that fails on HTTP errors and retries while the proxy loads new configuration.
get() { curl -fsS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors "$@"; }

# Weighted split: about 7 in 10 answers come from echo-v1, the rest from echo-v2.
for _ in $(seq 10); do
  get -H 'Host: echo.example.com' "http://$ip/"
  echo
done

# Path match: everything under /v2 goes to echo-v2.
get -H 'Host: echo.example.com' "http://$ip/v2/hello"
echo
# Header match: requests carrying X-Canary: always go to echo-v2.
get -H 'Host: echo.example.com' -H 'X-Canary: always' "http://$ip/"
echo
# Second listener, port 8080: only the preview route is attached there.
get "http://$ip:8080/"
echo
# A host that matches no listener and no route: 404 from the gateway itself.
curl -sS --max-time 5 -o /dev/null -w '%{http_code}\n' -H 'Host: other.example.org' "http://$ip/"
