set -euo pipefail
kubectl delete -f client.yaml -f service.yaml -f deployment.yaml --ignore-not-found
