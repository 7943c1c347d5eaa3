set -euo pipefail
kubectl delete -f allow-egress-to-cidr.yaml -f allow-egress-to-echo.yaml -f default-deny-egress.yaml --ignore-not-found
kubectl delete -f other.yaml -f client.yaml -f service.yaml -f deployment.yaml --ignore-not-found
