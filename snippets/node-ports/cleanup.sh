set -euo pipefail
kubectl delete -f hostnetwork.yaml -f hostport.yaml -f service.yaml -f deployment.yaml --ignore-not-found
