kubectl apply -f client.yaml
for _ in $(seq 1 20); do
  if kubectl apply --dry-run=server -f client.yaml; then
    sleep 1
  else
    break
  fi
done
