set -euo pipefail

# 1. Start the client first, while no Service called echo exists yet.
kubectl apply -f client.yaml
kubectl rollout status deployment/client --timeout=120s
# printenv exits 1 when the variable is not set: the step stops if it is.
if kubectl exec deploy/client -- printenv ECHO_SERVICE_HOST; then
  echo "unexpected: ECHO_SERVICE_HOST is set before the Service exists" >&2
  exit 1
fi

# 2. Create the Service and its Pod. A running container never gets new variables.
kubectl apply -f deployment.yaml -f service.yaml
kubectl rollout status deployment/echo --timeout=120s
if kubectl exec deploy/client -- printenv ECHO_SERVICE_HOST; then
  echo "unexpected: a running container got ECHO_SERVICE_HOST" >&2
  exit 1
fi

# 3. Replace the client Pod: the new one starts after the Service exists and gets them.
#    Wait until the old Pod is gone, so that exec reaches the new one.
old_pod=$(kubectl get pods -l app.kubernetes.io/name=client -o jsonpath='{.items[0].metadata.name}')
kubectl rollout restart deployment/client
kubectl rollout status deployment/client --timeout=120s
kubectl wait --for=delete "pod/$old_pod" --timeout=120s
kubectl get service echo -o jsonpath='{.spec.clusterIP}{"\n"}'
kubectl exec deploy/client -- sh -c 'env | grep ^ECHO_ | sort'

# printenv exits 1 if any of these is missing, so this step fails if the kubelet skipped them.
kubectl exec deploy/client -- printenv ECHO_SERVICE_HOST ECHO_SERVICE_PORT ECHO_SERVICE_PORT_HTTP ECHO_PORT
