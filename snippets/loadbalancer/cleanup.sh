set -euo pipefail
kubectl delete -f service-other-class.yaml -f service.yaml -f client.yaml -f deployment.yaml --ignore-not-found
