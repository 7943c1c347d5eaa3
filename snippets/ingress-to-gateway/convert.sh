set -euo pipefail

# ingress2gateway (v1.0 or later) reads the Ingress from the file, not from the cluster,
# prints the equivalent Gateway and HTTPRoute, and warns about what it cannot translate.
ingress2gateway print --providers=ingress-nginx \
  --ingressnginx-ingress-class="${INGRESS_CLASS:-cloud-provider-kind}" \
  --input-file=ingress.yaml
