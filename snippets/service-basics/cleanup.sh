set -euo pipefail
kubectl delete service echo --ignore-not-found
kubectl delete -f client.yaml -f deployment.yaml --ignore-not-found
