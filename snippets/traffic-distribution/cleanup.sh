set -euo pipefail
kubectl delete -f client.yaml -f service-any-zone.yaml -f service.yaml \
  -f deployment-zone-b.yaml -f deployment-zone-a.yaml --ignore-not-found
