kubectl apply -f client.yaml
kubectl rollout status deployment/client --timeout=120s
kubectl exec deploy/client -- sh -c 'env | grep ^ECHO_ || echo "no ECHO_ variables"'
