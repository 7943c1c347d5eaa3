set -euo pipefail
kubectl apply -f web.yaml -f api.yaml -f client.yaml
kubectl rollout status deployment/web --timeout=120s
kubectl rollout status deployment/api --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# Succeeds once a call fails: the network plugin applies a new policy within seconds,
# not at the moment kubectl apply returns.
expect_blocked() {
  for _ in $(seq 15); do
    if ! out=$(kubectl exec "$1" -- curl -sS --max-time 3 "$2" 2>&1); then
      echo "$1 -> $2: blocked (${out##*$'\n'})"
      return 0
    fi
    sleep 2
  done
  echo "$1 -> $2 still answers: does your network plugin enforce NetworkPolicy?" >&2
  return 1
}
answers() {
  kubectl exec "$1" -- curl -sS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors "$2"
  echo
}

# Ingress: deny by default, allow everything to web, allow api only from namespaces
# labelled team=frontend.
kubectl apply -f default-deny-ingress.yaml -f allow-all-ingress.yaml -f allow-from-namespace.yaml
answers deploy/client http://web/hostname
expect_blocked deploy/client http://api/hostname

# Label this namespace (the one of the current context): now its Pods match the
# namespaceSelector, and api admits them.
ns=$(kubectl config view --minify -o jsonpath='{..namespace}')
ns=${ns:-default}
kubectl label namespace "$ns" team=frontend --overwrite
answers deploy/client http://api/hostname

# Egress: allow everything except the cloud metadata addresses. DNS and Pod-to-Pod
# traffic keep working.
kubectl apply -f deny-metadata-egress.yaml
answers deploy/client http://web/hostname
kubectl exec deploy/client -- dig +search +short web

# Policies add up. Default-deny egress alone (it allows only DNS): names resolve, web is
# blocked, and so would be the metadata address, since no policy allows it.
kubectl delete -f deny-metadata-egress.yaml
kubectl apply -f default-deny-egress.yaml
kubectl exec deploy/client -- dig +search +short web
expect_blocked deploy/client http://web/hostname

# The metadata policy next to it allows every destination but metadata: web answers again.
# Under default-deny egress, leave it out.
kubectl apply -f deny-metadata-egress.yaml
answers deploy/client http://web/hostname
