set -euo pipefail

# A throwaway self-signed certificate for secure.example.com, made on your machine.
# The private key goes into the Secret and nowhere else: the temporary folder is removed.
workdir=$(mktemp -d)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 \
  -keyout "$workdir/tls.key" -out "$workdir/tls.crt" \
  -subj "/CN=secure.example.com" \
  -addext "subjectAltName=DNS:secure.example.com"

# A Secret of type kubernetes.io/tls with the keys tls.crt and tls.key.
# (--dry-run=client | apply makes the step safe to run twice.)
kubectl create secret tls secure-example-tls \
  --cert="$workdir/tls.crt" --key="$workdir/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
rm -rf "$workdir"

kubectl get secret secure-example-tls
