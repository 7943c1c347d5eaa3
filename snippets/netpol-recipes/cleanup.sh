set -euo pipefail
kubectl delete -f deny-metadata-egress.yaml -f default-deny-egress.yaml -f allow-from-namespace.yaml \
  -f allow-all-ingress.yaml -f default-deny-ingress.yaml --ignore-not-found
kubectl delete -f client.yaml -f api.yaml -f web.yaml --ignore-not-found
ns=$(kubectl config view --minify -o jsonpath='{..namespace}')
kubectl label namespace "${ns:-default}" team-
