set -euo pipefail
kubectl delete -f ingress.yaml -f echo.yaml --ignore-not-found
kubectl delete secret secure-example-tls --ignore-not-found
