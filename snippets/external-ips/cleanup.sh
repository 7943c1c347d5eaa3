set -euo pipefail
kubectl delete -f policy.yaml -f service.yaml -f client.yaml -f deployment.yaml --ignore-not-found
