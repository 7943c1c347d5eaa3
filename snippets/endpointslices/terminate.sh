set -euo pipefail

# Delete one echo Pod without waiting. Its preStop hook keeps it running for 20 s.
pod=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].metadata.name}')
kubectl delete pod "$pod" --wait=false

# Wait until the controller marks the endpoint as terminating (a few seconds at most).
for _ in $(seq 1 30); do
  kubectl get endpointslices -l kubernetes.io/service-name=echo \
    -o jsonpath='{.items[*].endpoints[*].conditions.terminating}' | grep -q true && break
  sleep 1
done

# The terminating endpoint is still serving but no longer ready.
kubectl get endpointslices -l kubernetes.io/service-name=echo -o jsonpath='{range .items[*].endpoints[*]}{.addresses[0]}{"\t"}{.targetRef.name}{"\tready="}{.conditions.ready}{" serving="}{.conditions.serving}{" terminating="}{.conditions.terminating}{"\n"}{end}'

# The script leaves it out: only ready endpoints get new connections.
python3 ready_endpoints.py echo

# The Deployment replaces the Pod; wait until all three replicas are ready again.
kubectl rollout status deployment/echo --timeout=120s
