set -euo pipefail

# A hand-written slice has no owner reference: deleting the Service does not delete it.
kubectl delete -f endpointslice.yaml -f service.yaml -f client.yaml -f server.yaml --ignore-not-found
