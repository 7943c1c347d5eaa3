set -euo pipefail

# The interactive form: a shell in an ephemeral container of the first echo Pod.
# Try: curl -sS localhost:8080/hostname, cat /etc/resolv.conf, nslookup echo
pod=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].metadata.name}')
kubectl debug -it "pod/$pod" --profile=restricted --image=registry.k8s.io/e2e-test-images/agnhost:2.53 -- sh
