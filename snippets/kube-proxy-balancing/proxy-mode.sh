set -euo pipefail

# Which data plane does kube-proxy program? kubeadm-based clusters (kind included) keep
# its configuration in a ConfigMap; mode "" means the default, iptables on Linux.
kubectl -n kube-system get configmap kube-proxy -o jsonpath='{.data.config\.conf}' | grep -E '^mode:'

# kube-proxy runs as a DaemonSet: one instance per node, each programming its own node.
kubectl -n kube-system get daemonset kube-proxy
