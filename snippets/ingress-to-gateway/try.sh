set -euo pipefail

# The IngressClass: kind's by default; on another cluster set INGRESS_CLASS to one of
# `kubectl get ingressclass`.
INGRESS_CLASS=${INGRESS_CLASS:-cloud-provider-kind}
kubectl get ingressclass "$INGRESS_CLASS" >/dev/null 2>&1 ||
  { echo "no IngressClass '$INGRESS_CLASS' on this cluster: set INGRESS_CLASS (kubectl get ingressclass)" >&2; exit 1; }
# The GatewayClass: kind's by default; on another cluster set GATEWAY_CLASS to one of
# `kubectl get gatewayclass`.
GATEWAY_CLASS=${GATEWAY_CLASS:-cloud-provider-kind}
kubectl get gatewayclass "$GATEWAY_CLASS" >/dev/null 2>&1 ||
  { echo "no GatewayClass '$GATEWAY_CLASS' on this cluster: set GATEWAY_CLASS (kubectl get gatewayclass)" >&2; exit 1; }

kubectl apply -f web.yaml -f api.yaml
sed "s/ingressClassName: cloud-provider-kind/ingressClassName: $INGRESS_CLASS/" ingress.yaml | kubectl apply -f -
sed "s/gatewayClassName: cloud-provider-kind/gatewayClassName: $GATEWAY_CLASS/" gateway.yaml | kubectl apply -f -
kubectl apply -f httproute.yaml
kubectl rollout status deployment/web --timeout=120s
kubectl rollout status deployment/api --timeout=120s

# The same routing, published twice: once by the Ingress controller, once by the Gateway.
kubectl wait ingress/shop --for=jsonpath='{.status.loadBalancer.ingress}' --timeout=180s
kubectl wait gateway/shop --for=condition=Programmed --timeout=180s
kubectl wait httproute/shop --timeout=60s \
  --for=jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}'=True
ingress_ip=$(kubectl get ingress shop -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
gateway_ip=$(kubectl get gateway shop -o jsonpath='{.status.addresses[0].value}')

# Trust the self-signed certificate from the Secret for the HTTPS calls.
ca=$(mktemp)
trap 'rm -f "$ca"' EXIT
kubectl get secret shop-tls -o jsonpath='{.data.tls\.crt}' | base64 -d > "$ca"

# curl that fails on HTTP errors and retries while the proxy loads new configuration.
get() { curl -fsS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors "$@"; }

# Both front doors must give the same answers: web for /, api for /api/...
ask() { # $1 = label, $2 = address
  for path in / /api/orders; do
    plain=$(get -H 'Host: shop.example.com' "http://$2$path")
    tls=$(get --cacert "$ca" --resolve "shop.example.com:443:$2" "https://shop.example.com$path")
    printf '%-8s %-12s http -> %-24s https -> %s\n' "$1" "$path" "$plain" "$tls"
  done
}
ask ingress "$ingress_ip"
ask gateway "$gateway_ip"
