set -euo pipefail

# A throwaway self-signed certificate for shop.example.com; the key ends up only in the Secret.
workdir=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
  -keyout "$workdir/tls.key" -out "$workdir/tls.crt" \
  -subj "/CN=shop.example.com" \
  -addext "subjectAltName=DNS:shop.example.com"
kubectl create secret tls shop-tls \
  --cert="$workdir/tls.crt" --key="$workdir/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
rm -rf "$workdir"
