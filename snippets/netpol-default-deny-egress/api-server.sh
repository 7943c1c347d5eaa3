set -euo pipefail

# Where does https://kubernetes.default.svc go? The Service in the default namespace
# has a cluster IP, and its EndpointSlice lists the API servers' own host addresses
# (node or load-balancer IPs, port 6443 on kubeadm and kind), outside the pod network.
kubectl get service kubernetes -n default
kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes \
  -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]}{"\n"}{end}'
kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes \
  -o jsonpath='{.items[0].ports[0].port}{"\n"}'
