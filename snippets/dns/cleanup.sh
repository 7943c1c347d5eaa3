set -euo pipefail
kubectl delete -f client.yaml -f db.yaml -f service.yaml -f server.yaml --ignore-not-found
