set -euo pipefail

# Type, virtual IP, ports, selector and the endpoints the Service currently has.
kubectl describe service echo

# The endpoints live in EndpointSlices labelled with the Service's name.
kubectl get endpointslices -l kubernetes.io/service-name=echo -o wide

# Which Pods do the Service's selector match, and are they ready?
kubectl get pods -l app.kubernetes.io/name=echo -o wide
