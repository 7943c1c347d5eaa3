set -euo pipefail
kubectl delete -f client.yaml -f outside-server.yaml --ignore-not-found
