set -euo pipefail

# Run as root in a shell on a node (on kind: docker exec -it kind-worker bash).
# Every command only reads.

# The node's addresses, and the host ends of the Pods' veth pairs.
ip -brief address

# Routes to the other nodes' pod subnets (routed plugins such as kindnet or Calico BGP)
# or one route through an overlay device (flannel.1, vxlan.calico, cilium_vxlan).
ip route

# The CNI configuration the container runtime loads: the first file in name order ...
ls -l /etc/cni/net.d/
cat /etc/cni/net.d/*.conflist

# ... and the plugin binaries that configuration may call (ptp, bridge, portmap, ...).
ls /opt/cni/bin/
