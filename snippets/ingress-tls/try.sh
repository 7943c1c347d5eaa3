set -euo pipefail

# The IngressClass: kind's by default; on another cluster set INGRESS_CLASS to one of
# `kubectl get ingressclass`.
INGRESS_CLASS=${INGRESS_CLASS:-cloud-provider-kind}
kubectl get ingressclass "$INGRESS_CLASS" >/dev/null 2>&1 ||
  { echo "no IngressClass '$INGRESS_CLASS' on this cluster: set INGRESS_CLASS (kubectl get ingressclass)" >&2; exit 1; }

kubectl apply -f echo.yaml
sed "s/ingressClassName: cloud-provider-kind/ingressClassName: $INGRESS_CLASS/" ingress.yaml | kubectl apply -f -
kubectl rollout status deployment/secure-echo --timeout=120s
kubectl wait ingress/secure --for=jsonpath='{.status.loadBalancer.ingress}' --timeout=180s
kubectl get ingress secure
ip=$(kubectl get ingress secure -o jsonpath='{.status.loadBalancer.ingress[0].ip}')

# Trust exactly the certificate in the Secret (it is self-signed), then call the host by
# name: --resolve sends the TLS handshake to the Ingress address with SNI secure.example.com.
ca=$(mktemp)
trap 'rm -f "$ca"' EXIT
kubectl get secret secure-example-tls -o jsonpath='{.data.tls\.crt}' | base64 -d > "$ca"

# curl that fails on HTTP errors and retries while the proxy loads new configuration.
get() { curl -fsS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors "$@"; }
get --cacert "$ca" --resolve "secure.example.com:443:$ip" https://secure.example.com/
echo

# The certificate the controller presented for that SNI name.
openssl s_client -connect "$ip:443" -servername secure.example.com </dev/null 2>/dev/null |
  openssl x509 -noout -subject -ext subjectAltName
