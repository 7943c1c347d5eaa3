set -euo pipefail
kubectl delete -f ingress.yaml -f api.yaml -f frontend.yaml --ignore-not-found
