set -euo pipefail
kubectl delete -f httproute.yaml -f gateway.yaml --ignore-not-found
kubectl delete -f drained.yaml -f service.yaml -f deployment.yaml --ignore-not-found
