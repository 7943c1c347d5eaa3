set -euo pipefail

# How long may CoreDNS cache answers for the cluster domain? Look at the cache plugin.
kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}'
