set -euo pipefail
kubectl delete -f client.yaml -f alias-api.yaml -f alias-dns.yaml --ignore-not-found
