set -euo pipefail

# On a cloud VM the instance metadata service answers on 169.254.169.254 (AWS also on
# fd00:ec2::254). Without the policy this prints metadata; with it, curl times out.
kubectl exec deploy/client -- curl -sS --max-time 5 http://169.254.169.254/ ||
  echo "no answer: the policy blocks the metadata address"
