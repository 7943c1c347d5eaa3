set -euo pipefail
kubectl apply -f service.yaml -f statefulset.yaml -f client.yaml
kubectl rollout status statefulset/web --timeout=180s
kubectl rollout status deployment/client --timeout=120s

# No virtual IP: CLUSTER-IP is None. The endpoints are the ready Pods, each with a hostname.
kubectl get service web
kubectl get endpointslices -l kubernetes.io/service-name=web -o wide

# The Service name returns one A record per ready Pod; the client picks one.
kubectl exec deploy/client -- dig +search +noall +answer web

# Each StatefulSet Pod has its own name below the Service: <pod>.<service>.
kubectl exec deploy/client -- dig +search +short web-0.web

# The named port "http" adds SRV records that point at those per-Pod names.
kubectl exec deploy/client -- dig +search +short SRV _http._tcp.web

# Talk to one particular Pod by its stable name.
kubectl exec deploy/client -- curl -sS --max-time 5 "http://web-0.web:8080/hostname"
echo
