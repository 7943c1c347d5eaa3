set -euo pipefail
kubectl apply -f service-dual-stack.yaml

# The API server filled in clusterIP, clusterIPs and ipFamilies: one address per IP family
# the cluster serves (one on a single-stack cluster, two on a dual-stack one).
kubectl get service echo-dual-stack \
  -o jsonpath='{.spec.ipFamilyPolicy}{" "}{.spec.ipFamilies}{" "}{.spec.clusterIPs}{"\n"}'

# One EndpointSlice per address family; each carries the port's name and appProtocol.
kubectl get endpointslices -l kubernetes.io/service-name=echo-dual-stack \
  -o jsonpath='{range .items[*]}{.addressType}{" "}{.ports}{"\n"}{end}'

# Three addresses for the same Pods: Pod IP + targetPort, cluster IP + port, Service name.
pod_ip=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].status.podIP}')
cluster_ip=$(kubectl get service echo-dual-stack -o jsonpath='{.spec.clusterIP}')
kubectl exec deploy/client -- curl -sS --max-time 5 "http://$pod_ip:8080/hostname"
echo
kubectl exec deploy/client -- curl -sS --max-time 5 "http://$cluster_ip:80/hostname"
echo
kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo-dual-stack/hostname"
echo
