# expect: error[kubectl-unknown-flag]: kubectl logs has no flag -x
pod="$(kubectl get pods -l app.kubernetes.io/name=echo -o name | head -n 1)"
kubectl logs "$pod" \
  -x | grep -c GET
