set -euo pipefail
kubectl apply -f deployment-zone-a.yaml -f deployment-zone-b.yaml -f service.yaml -f service-any-zone.yaml -f client.yaml
kubectl rollout status deployment/echo-zone-a --timeout=120s
kubectl rollout status deployment/echo-zone-b --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# Which zone each node is in, and where the Pods landed.
kubectl get nodes -L topology.kubernetes.io/zone
kubectl get pods -o wide -l 'app.kubernetes.io/name in (echo, client)'

# The EndpointSlice controller wrote a zone hint on every endpoint of the PreferSameZone Service.
kubectl get endpointslices -l kubernetes.io/service-name=echo \
  -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name}{" zone="}{.zone}{" hint="}{.hints.forZones[*].name}{"\n"}{end}'

# From the zone-a client: only echo-zone-a-* Pods answer the PreferSameZone Service...
for _ in 1 2 3 4 5 6 7 8; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo/hostname"
  echo
done

# ...while the Service without trafficDistribution spreads over both zones.
for _ in 1 2 3 4 5 6 7 8; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo-any-zone/hostname"
  echo
done
