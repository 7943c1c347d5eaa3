set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f client.yaml -f other.yaml
kubectl rollout status deployment/echo --timeout=120s
kubectl rollout status deployment/client --timeout=120s
kubectl rollout status deployment/other --timeout=120s

# Succeeds once a call fails: the network plugin applies a new policy within seconds,
# not at the moment kubectl apply returns.
expect_blocked() {
  for _ in $(seq 15); do
    if ! out=$(kubectl exec "$1" -- curl -sS --insecure --max-time 3 "$2" 2>&1); then
      echo "$1 -> $2: blocked (${out##*$'\n'})"
      return 0
    fi
    sleep 2
  done
  echo "$1 -> $2 still answers: does your network plugin enforce NetworkPolicy?" >&2
  return 1
}

# 1. Deny all egress except DNS to the cluster DNS Pods in kube-system.
kubectl apply -f default-deny-egress.yaml
expect_blocked deploy/other http://echo/hostname
# Names still resolve, over UDP and over TCP (large answers and retries use TCP).
kubectl exec deploy/other -- dig +search +short echo
kubectl exec deploy/other -- dig +search +short +tcp echo
# The API server is outside the pod network, and egress to it is denied as well.
expect_blocked deploy/other https://kubernetes.default.svc/livez

# 2. Allow the client Pods to reach the echo Pods: the rule names the Pods and their
#    container port 8080, not the Service's cluster IP and port 80.
kubectl apply -f allow-egress-to-echo.yaml
kubectl exec deploy/client -- curl -sS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors http://echo/hostname
echo
expect_blocked deploy/other http://echo/hostname
