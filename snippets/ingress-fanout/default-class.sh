set -euo pipefail

# Needs permission to change cluster-scoped IngressClass objects (usually cluster-admin).
# Show each class, its controller, and whether it carries the default-class annotation.
kubectl get ingressclass \
  -o custom-columns='NAME:.metadata.name,CONTROLLER:.spec.controller,DEFAULT:.metadata.annotations.ingressclass\.kubernetes\.io/is-default-class'

# Mark one class as the default. Keep at most one default: with two, the API server
# rejects new Ingresses that leave spec.ingressClassName empty.
kubectl annotate ingressclass "${INGRESS_CLASS:-cloud-provider-kind}" \
  ingressclass.kubernetes.io/is-default-class=true --overwrite

# The default is filled in only when an Ingress is created: list older Ingresses that
# still have no class, and set spec.ingressClassName on them.
kubectl get ingress --all-namespaces \
  -o custom-columns='NAMESPACE:.metadata.namespace,NAME:.metadata.name,CLASS:.spec.ingressClassName'
