set -euo pipefail

# Is the Service proxy running on every node? (Clusters whose CNI replaces kube-proxy,
# such as Cilium in kube-proxy-free mode, have no such DaemonSet: use the CNI's tools.)
kubectl -n kube-system get daemonset kube-proxy
kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide
# Its latest log lines: sync errors and failed rule writes show up here.
kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=5 --prefix
