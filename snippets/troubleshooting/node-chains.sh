set -euo pipefail

# Run from the machine that runs kind, like node-rules.sh: follow the healthy echo
# Service through the rules of one node. Each command only reads.
NODE=${NODE:-kind-worker}
NS=${NS:-$(kubectl config view --minify -o jsonpath='{..namespace}')}
NS=${NS:-default}
MODE=${MODE:-iptables}
cluster_ip=$(kubectl get service echo -o jsonpath='{.spec.clusterIP}')
rules() { docker exec "$NODE" iptables-save -t nat; }

case "$MODE" in
iptables)
  # 1. KUBE-SERVICES: the rule for cluster IP and port jumps to the Service chain
  #    KUBE-SVC-<hash> (one chain per Service port).
  rules | grep -F -- "-A KUBE-SERVICES -d $cluster_ip/32"
  svc_chain=$(rules | grep -F -- "-A KUBE-SERVICES -d $cluster_ip/32" | grep -oE 'KUBE-SVC-[A-Z0-9]+' | head -n 1)

  # 2. KUBE-SVC-<hash>: one rule per endpoint. With two endpoints the first matches with
  #    probability 0.5 and the second takes the rest; the choice is made once per
  #    connection and kept by conntrack.
  rules | grep -F -- "-A $svc_chain "

  # 3. KUBE-SEP-<hash>: one chain per endpoint, ending in DNAT to Pod-IP:targetPort.
  for sep in $(rules | grep -F -- "-A $svc_chain " | grep -oE 'KUBE-SEP-[A-Z0-9]+'); do
    rules | grep -F -- "-A $sep "
  done

  # Packet counters per endpoint rule: run a few requests, then look again.
  docker exec "$NODE" iptables -t nat -L "$svc_chain" -n -v
  ;;
nftables)
  # A verdict map from cluster IP, protocol and port to the Service chain, and chains
  # named service-<hash>-<ns>/<name>/<protocol>/<port name>.
  docker exec "$NODE" nft list map ip kube-proxy service-ips | grep -F "$cluster_ip"
  docker exec "$NODE" nft list table ip kube-proxy | grep -F "$NS/echo/tcp/http"
  ;;
ipvs) # deprecated since 1.35
  # One virtual server per cluster IP and port, with the Pods as real servers.
  docker exec "$NODE" ipvsadm -Ln -t "$cluster_ip:80"
  ;;
*)
  echo "MODE must be iptables, nftables or ipvs (the mode in kube-proxy's configuration)" >&2
  exit 1
  ;;
esac
