set -euo pipefail
kubectl delete -f allow-or.yaml -f allow-and.yaml --ignore-not-found
kubectl delete -f other.yaml -f frontend.yaml -f echo-or.yaml -f echo-and.yaml --ignore-not-found
