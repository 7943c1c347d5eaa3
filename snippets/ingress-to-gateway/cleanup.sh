set -euo pipefail
kubectl delete -f httproute.yaml -f gateway.yaml -f ingress.yaml --ignore-not-found
kubectl delete -f api.yaml -f web.yaml --ignore-not-found
kubectl delete secret shop-tls --ignore-not-found
