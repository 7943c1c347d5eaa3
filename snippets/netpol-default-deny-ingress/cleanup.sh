set -euo pipefail
kubectl delete -f allow-client-to-echo.yaml -f default-deny-ingress.yaml --ignore-not-found
kubectl delete -f other.yaml -f client.yaml -f service.yaml -f deployment.yaml --ignore-not-found
