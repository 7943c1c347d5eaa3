set -euo pipefail
kubectl delete -f service.yaml -f deployment.yaml --ignore-not-found
