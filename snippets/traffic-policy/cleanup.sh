set -euo pipefail
kubectl delete -f client.yaml -f service-node-local.yaml -f service-cluster.yaml -f service-local.yaml \
  -f daemonset.yaml --ignore-not-found
