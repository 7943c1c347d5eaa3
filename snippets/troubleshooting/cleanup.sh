set -euo pipefail
kubectl delete -f service-port-number.yaml -f service-port-name.yaml -f service-typo.yaml -f service.yaml \
  --ignore-not-found
kubectl delete -f deny-locked.yaml -f locked.yaml -f client.yaml -f deployment.yaml --ignore-not-found
