set -euo pipefail

# An image without a shell or curl cannot be debugged with kubectl exec. An ephemeral
# container adds a debugging image to the running Pod; it shares the Pod's network
# namespace, so localhost is the application's localhost. --profile=restricted keeps it
# admissible under the restricted Pod Security level.
pod=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].metadata.name}')
name="debugger-$(date +%s)"
kubectl debug "pod/$pod" --container="$name" --profile=restricted \
  --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- curl -sS --max-time 5 http://localhost:8080/hostname

# Wait until it has run, then read its output. Ephemeral containers cannot be removed:
# they stay in the Pod's status until the Pod goes away.
for _ in $(seq 30); do
  done_reason=$(kubectl get pod "$pod" \
    -o jsonpath="{.status.ephemeralContainerStatuses[?(@.name==\"$name\")].state.terminated.reason}")
  [ -n "$done_reason" ] && break
  sleep 2
done
kubectl logs "$pod" -c "$name"
echo
