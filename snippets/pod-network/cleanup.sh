set -euo pipefail
kubectl delete -f client.yaml -f service.yaml -f echo.yaml --ignore-not-found
