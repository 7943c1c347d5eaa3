set -euo pipefail
kubectl apply -f daemonset.yaml -f service-local.yaml -f service-cluster.yaml -f service-node-local.yaml -f client.yaml
kubectl rollout status daemonset/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# One echo Pod per worker node; the client runs beside one of them.
kubectl get pods -o wide -l 'app.kubernetes.io/name in (echo, client)'
kubectl get services echo-local echo-cluster echo-node-local

# externalTrafficPolicy does not govern cluster-IP traffic: both echo Pods answer.
for _ in 1 2 3 4 5 6; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo-local/hostname"
  echo
done

# internalTrafficPolicy: Local does: only the echo Pod on the client's node answers.
for _ in 1 2 3 4 5 6; do
  kubectl exec deploy/client -- curl -sS --max-time 5 "http://echo-node-local/hostname"
  echo
done
