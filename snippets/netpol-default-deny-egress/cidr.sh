set -euo pipefail

# Add a CIDR rule for the client Pods: TCP 5432 and the range 30000-30100 to
# 192.0.2.0/24 except its upper half. 192.0.2.0/24 is a documentation range: put the
# address of your database or partner network there.
kubectl apply -f allow-egress-to-cidr.yaml
kubectl get networkpolicy allow-client-egress-to-database \
  -o jsonpath='{.spec.egress[0].to[0].ipBlock}{"\n"}{.spec.egress[0].ports}{"\n"}'

# Policies add up: the client still reaches the echo Pods through the earlier policy.
kubectl exec deploy/client -- curl -sS --max-time 5 http://echo/hostname
echo
