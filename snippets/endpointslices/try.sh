set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f client.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# The EndpointSlice controller wrote one slice for the Service; the labels link it to
# the Service and say which controller owns it.
kubectl get endpointslices -l kubernetes.io/service-name=echo --show-labels

# One line per endpoint: address, node, and the three conditions.
kubectl get endpointslices -l kubernetes.io/service-name=echo -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]}{"\t"}{.nodeName}{"\tready="}{.conditions.ready}{" serving="}{.conditions.serving}{" terminating="}{.conditions.terminating}{"\n"}{end}'

# The same list from a script: the ready endpoints behind the Service.
python3 ready_endpoints.py echo
