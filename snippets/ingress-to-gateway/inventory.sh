set -euo pipefail

# Every Ingress in the cluster, with its class and hosts: the list to migrate.
kubectl get ingress --all-namespaces \
  -o custom-columns='NAMESPACE:.metadata.namespace,NAME:.metadata.name,CLASS:.spec.ingressClassName,HOSTS:.spec.rules[*].host,TLS:.spec.tls[*].secretName'

# Annotations hold controller-specific behaviour (rewrites, redirects, timeouts, auth);
# each one needs its own translation, or a decision to drop it.
kubectl get ingress --all-namespaces \
  -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{"\t"}{.metadata.annotations}{"\n"}{end}'
