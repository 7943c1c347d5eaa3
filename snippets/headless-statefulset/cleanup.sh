set -euo pipefail
kubectl delete -f client.yaml -f statefulset.yaml -f service.yaml --ignore-not-found
