set -euo pipefail
kubectl apply -f echo-and.yaml -f echo-or.yaml -f frontend.yaml -f other.yaml
kubectl apply -f allow-and.yaml -f allow-or.yaml
for deployment in echo-and echo-or frontend other; do
  kubectl rollout status "deployment/$deployment" --timeout=120s
done

# kubectl describe shows how the API server reads each from list: one peer with two
# selectors (AND) in allow-and, two peers (OR) in allow-or.
kubectl describe networkpolicy allow-and allow-or

# Who may connect? The other Pod is refused by allow-and but admitted by allow-or,
# whose first peer alone matches every Pod in every namespace. New policies take a
# few seconds to be enforced, hence the retries.
for from in frontend other; do
  for to in echo-and echo-or; do
    if kubectl exec "deploy/$from" -- curl -sS --max-time 3 --retry 3 --retry-all-errors -o /dev/null "http://$to/hostname"; then
      echo "$from -> $to: allowed"
    else
      echo "$from -> $to: blocked"
    fi
  done
done
