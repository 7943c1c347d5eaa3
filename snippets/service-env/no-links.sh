set -euo pipefail
kubectl apply -f client-no-links.yaml
kubectl rollout status deployment/client-no-links --timeout=120s

# Only the API server's own Service (kubernetes, in the default namespace) is still injected.
kubectl exec deploy/client-no-links -- sh -c 'env | grep _SERVICE_HOST'

# The echo Service is not: printenv finds nothing and exits 1, so the step fails if it is set.
if kubectl exec deploy/client-no-links -- printenv ECHO_SERVICE_HOST; then
  echo "unexpected: ECHO_SERVICE_HOST is set although enableServiceLinks is false" >&2
  exit 1
fi

# DNS still works, which is all most applications need.
kubectl exec deploy/client-no-links -- curl -sS --max-time 5 "http://echo/hostname"
echo
