set -euo pipefail

# Three ways to reach a node's rules; pick the one your access allows.

# 1. kind: every node is a Docker container on the machine that runs kind.
kind get nodes
docker exec -it kind-worker bash

# 2. Any cluster: a node debugging Pod with the node's network and PID namespaces and
#    its filesystem under /host. The sysadmin profile makes it privileged, so run it in a
#    namespace whose Pod Security level allows that (kube-system usually does).
kubectl debug node/kind-worker -it --namespace=kube-system --profile=sysadmin \
  --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- chroot /host bash

# 3. Read-only, through the kube-proxy Pod of that node: it runs on the host network and
#    its image ships the tools of its proxy mode.
pod=$(kubectl -n kube-system get pods -l k8s-app=kube-proxy --field-selector spec.nodeName=kind-worker \
  -o jsonpath='{.items[0].metadata.name}')
kubectl -n kube-system exec "$pod" -- iptables-save -t nat
