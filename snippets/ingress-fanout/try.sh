set -euo pipefail

# Which IngressClasses exist, and which one is the default?
kubectl get ingressclass
# The IngressClass: kind's by default; on another cluster set INGRESS_CLASS to one of
# `kubectl get ingressclass`.
INGRESS_CLASS=${INGRESS_CLASS:-cloud-provider-kind}
kubectl get ingressclass "$INGRESS_CLASS" >/dev/null 2>&1 ||
  { echo "no IngressClass '$INGRESS_CLASS' on this cluster: set INGRESS_CLASS (kubectl get ingressclass)" >&2; exit 1; }

kubectl apply -f frontend.yaml -f api.yaml
sed "s/ingressClassName: cloud-provider-kind/ingressClassName: $INGRESS_CLASS/" ingress.yaml | kubectl apply -f -
kubectl rollout status deployment/frontend --timeout=120s
kubectl rollout status deployment/api --timeout=120s

# The controller writes the address it serves on into the Ingress status.
kubectl wait ingress/fanout --for=jsonpath='{.status.loadBalancer.ingress}' --timeout=180s
kubectl get ingress fanout
kubectl describe ingress fanout
# An IP, or a hostname on clouds such as AWS: the jsonpath prints whichever is set.
ip=$(kubectl get ingress fanout -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}')

# curl that fails on HTTP errors and retries while the proxy loads new configuration.
get() { curl -fsS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors "$@"; }

# One request per line: Host header, path, and the Pod that answered.
for target in www.example.com/ www.example.com/api/v1/items www.example.com/apiary \
  www.example.com/status www.example.com/status/details api.example.com/ unknown.example.org/; do
  host=${target%%/*}
  path=/${target#*/}
  answer=$(get -H "Host: $host" "http://$ip$path")
  printf '%-20s %-16s -> %s\n' "$host" "$path" "$answer"
done
