set -euo pipefail
kubectl delete -f client.yaml -f service-no-affinity.yaml -f service.yaml -f deployment.yaml --ignore-not-found
