set -euo pipefail

# How each broken Service fails, seen from a client Pod. Read the curl error and the
# time it took: "Couldn't connect" after a few milliseconds means something answered
# with a refusal (a reject rule or the Pod itself); a timeout means packets are dropped.
for svc in echo-typo echo-port-name echo-port-number locked; do
  echo "--- $svc"
  kubectl exec deploy/client -- curl -sS --max-time 5 -o /dev/null -w '%{http_code} in %{time_total}s\n' \
    "http://$svc/hostname" || echo "$svc: failed, as expected"
done

# The names resolve in every case: DNS is not the problem here.
for svc in echo-typo echo-port-name echo-port-number locked; do
  kubectl exec deploy/client -- nslookup "$svc" | tail -n 3
done
