set -euo pipefail

# Add a third Pod and ask for its name right away, once a second, until DNS knows it.
kubectl scale statefulset web --replicas=3
for attempt in $(seq 1 90); do
  if kubectl exec deploy/client -- dig +search +short web-2.web | grep -q .; then
    echo "web-2.web resolved at $(date -u +%H:%M:%S) after ${attempt} attempt(s)"
    break
  fi
  sleep 1
done
kubectl rollout status statefulset/web --timeout=180s

# Compare with the moment the Pod became Ready: the record appears only after that.
kubectl get pod web-2 -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastTransitionTime}'
echo
kubectl exec deploy/client -- dig +search +short web
