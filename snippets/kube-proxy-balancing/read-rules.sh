set -euo pipefail

# Run as root in a shell on a node (on kind: docker exec -it kind-worker bash).
# Every command only reads. MODE picks the block for your kube-proxy mode.
MODE=${MODE:-iptables}

case "$MODE" in
iptables)
  # 1. KUBE-SERVICES: one rule per Service port, matching cluster IP and port.
  iptables-save -t nat | grep -E -- '-A KUBE-SERVICES .*/echo:http'

  # 2. KUBE-SVC-*: the Service chain picks an endpoint at random
  #    (probability 1/3, then 1/2 of the rest, then the last one).
  SVC_CHAIN=$(iptables-save -t nat | grep -E -- '-A KUBE-SERVICES .*/echo:http' \
    | grep -oE 'KUBE-SVC-[A-Z0-9]+' | head -n 1)
  iptables-save -t nat | grep -E -- "-A ${SVC_CHAIN} "

  # 3. KUBE-SEP-*: one chain per endpoint, ending in DNAT to Pod-IP:targetPort.
  iptables-save -t nat | grep -E -- '-A KUBE-SEP-.*/echo:http'

  # 4. KUBE-NODEPORTS: the nodePort is a packet rule too ...
  iptables-save -t nat | grep -E -- '-A KUBE-(NODEPORTS|EXT-).*/echo:http'

  # ... and no process listens on it (empty output).
  NODE_PORT=$(iptables-save -t nat | grep -E -- '-A KUBE-NODEPORTS .*/echo:http' \
    | grep -oE -- '--dport [0-9]+' | head -n 1 | cut -d ' ' -f 2)
  ss -ltnp "sport = :${NODE_PORT}" | tail -n +2
  ;;
nftables)
  nft list table ip kube-proxy | grep -E 'echo/tcp/http'
  ;;
ipvs) # deprecated since 1.35
  ipvsadm -Ln
  ip -brief address show dev kube-ipvs0
  ;;
*)
  echo "MODE must be iptables, nftables or ipvs (the mode in kube-proxy's configuration)" >&2
  exit 1
  ;;
esac
