set -euo pipefail

# Allow externalIPs only from a range the administrators reserved (a cluster-wide policy).
kubectl apply -f policy.yaml

# A Service that claims another address is now refused. The server-side dry run goes
# through admission without creating anything; a new policy needs a moment to load.
for _ in $(seq 1 20); do
  if answer=$(kubectl apply --dry-run=server -f rogue-service.yaml 2>&1); then
    echo "not refused yet: the policy is still loading"
    sleep 1
  elif grep -q "ValidatingAdmissionPolicy 'service-external-ips'" <<<"$answer"; then
    echo "$answer"
    echo "refused by the admission policy, as intended"
    exit 0
  else
    echo "$answer" >&2
    exit 1
  fi
done
echo "the admission policy never refused rogue-service.yaml" >&2
exit 1
