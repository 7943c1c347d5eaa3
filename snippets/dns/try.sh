set -euo pipefail
kubectl apply -f server.yaml -f service.yaml -f db.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s
kubectl wait --for=condition=Ready pod/db --timeout=120s

# What the kubelet wrote for the client: cluster DNS, search list, and the merged options.
kubectl exec deploy/client -- cat /etc/resolv.conf

# The namespace the example runs in, for the fully qualified names below.
ns=$(kubectl get pod db -o jsonpath='{.metadata.namespace}')

# A record of a ClusterIP Service: one answer, the cluster IP (not the two Pod IPs).
kubectl exec deploy/client -- dig +short "echo.${ns}.svc.cluster.local"

# Short names go through the search list: "echo" in the same namespace, "echo.<ns>" from anywhere.
kubectl exec deploy/client -- nslookup echo
kubectl exec deploy/client -- nslookup "echo.${ns}"

# SRV record of the named port "http": priority, weight, port 80 and the Service name.
kubectl exec deploy/client -- dig +short SRV "_http._tcp.echo.${ns}.svc.cluster.local"

# hostname + subdomain + a headless Service of the same name give the Pod its own name;
# the headless Service's SRV record lists that name with the Pod's port.
kubectl exec deploy/client -- dig +short "primary.db.${ns}.svc.cluster.local"
kubectl exec deploy/client -- dig +short SRV "_http._tcp.db.${ns}.svc.cluster.local"

# The dashed Pod A record (a-b-c-d.<ns>.pod.cluster.local), kept for compatibility.
ip=$(kubectl get pod db -o jsonpath='{.status.podIP}')
kubectl exec deploy/client -- dig +short "${ip//./-}.${ns}.pod.cluster.local"

# A name that does not exist: NXDOMAIN.
kubectl exec deploy/client -- dig "missing.${ns}.svc.cluster.local" | grep status
