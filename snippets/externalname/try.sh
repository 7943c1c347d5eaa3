set -euo pipefail
kubectl apply -f alias-dns.yaml -f alias-api.yaml -f client.yaml
kubectl rollout status deployment/client --timeout=120s

# No cluster IP, no endpoints: EXTERNAL-IP shows the name the alias points at.
kubectl get service cluster-dns apiserver

# DNS answers with a CNAME; the client then resolves the target itself.
kubectl exec deploy/client -- dig +search +noall +answer cluster-dns

# Port 9153 of the kube-dns Service in kube-system, reached through the alias in this namespace.
kubectl exec deploy/client -- curl -sS --max-time 5 "http://cluster-dns:9153/metrics" | grep '^coredns_build_info'

# TLS checks the name the client asked for. The API server's certificate lists its real names ...
CA=/var/run/secrets/kubernetes.io/serviceaccount/ca.crt
kubectl exec deploy/client -- curl -sS --max-time 5 --cacert "${CA}" -o /dev/null -w '%{http_code}\n' \
  "https://kubernetes.default.svc.cluster.local/version"
# ... but not the alias, so the same server fails verification when called as "apiserver".
kubectl exec deploy/client -- curl -sS --max-time 5 --cacert "${CA}" "https://apiserver/version" ||
  echo "expected: the certificate does not name the alias"
