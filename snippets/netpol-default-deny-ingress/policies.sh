set -euo pipefail

# Succeeds once a call fails: the network plugin applies a new policy within seconds,
# not at the moment kubectl apply returns.
expect_blocked() {
  for _ in $(seq 15); do
    if ! out=$(kubectl exec "$1" -- curl -sS --max-time 3 "$2" 2>&1); then
      echo "$1 -> $2: blocked (${out##*$'\n'})"
      return 0
    fi
    sleep 2
  done
  echo "$1 -> $2 still answers: does your network plugin enforce NetworkPolicy?" >&2
  return 1
}

# 1. Deny all ingress: every Pod in the namespace is isolated and nothing is allowed.
kubectl apply -f default-deny-ingress.yaml
expect_blocked deploy/client http://echo/hostname
expect_blocked deploy/other http://echo/hostname

# 2. Allow the client Pods to reach the echo Pods on their http port (8080).
kubectl apply -f allow-client-to-echo.yaml
kubectl exec deploy/client -- curl -sS --max-time 5 --retry 10 --retry-delay 2 --retry-all-errors http://echo/hostname
echo
expect_blocked deploy/other http://echo/hostname

# How the API server reads the policies: selected Pods, directions, peers and ports.
kubectl describe networkpolicy default-deny-ingress allow-client-to-echo

# Which policies select one echo Pod, from a script (the kubernetes Python client).
pod=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].metadata.name}')
python3 selecting_policies.py "$pod"
