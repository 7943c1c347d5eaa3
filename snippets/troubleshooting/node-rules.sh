set -euo pipefail

# Run from the machine that runs kind: each kind node is a Docker container, so docker
# exec gives a root shell on the node. Set NODE (a worker of your cluster, see
# `kind get nodes`), NS (the namespace of the example) and MODE (kube-proxy's mode).
NODE=${NODE:-kind-worker}
NS=${NS:-$(kubectl config view --minify -o jsonpath='{..namespace}')}
NS=${NS:-default}
MODE=${MODE:-iptables}

case "$MODE" in
iptables)
  # A Service port without endpoints gets a REJECT rule in the filter table: that is
  # the instant "connection refused" of echo-typo and echo-port-name.
  docker exec "$NODE" iptables-save -t filter | grep -F "$NS/echo-"
  # echo-port-number has endpoints: its KUBE-SEP chains DNAT to Pod-IP:9090, where
  # nothing listens, so the Pod itself refuses.
  docker exec "$NODE" iptables-save -t nat | grep -F "$NS/echo-port-number" | grep -F DNAT
  # locked has healthy rules too: the NetworkPolicy, not kube-proxy, drops its packets.
  docker exec "$NODE" iptables-save -t nat | grep -F "$NS/locked" | grep -F DNAT
  ;;
nftables)
  # The same facts in the kube-proxy table.
  docker exec "$NODE" nft list map ip kube-proxy no-endpoint-services
  docker exec "$NODE" nft list table ip kube-proxy | grep -F "$NS/echo-port-number"
  ;;
*)
  echo "MODE must be iptables or nftables (the mode in kube-proxy's configuration)" >&2
  exit 1
  ;;
esac

# Connection tracking: connections to the echo cluster IP and the Pod each was sent to.
cluster_ip=$(kubectl get service echo -o jsonpath='{.spec.clusterIP}')
docker exec "$NODE" conntrack -L -d "$cluster_ip"
