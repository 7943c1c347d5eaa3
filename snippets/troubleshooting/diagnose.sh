set -euo pipefail

# Walk the decision flow for one Service: bash diagnose.sh <service> (default echo-typo).
svc=${1:-echo-typo}

# 1. The Service exists, has the expected type, cluster IP, ports and selector.
kubectl get service "$svc" -o wide
kubectl describe service "$svc"

# 2. Its EndpointSlices: no ENDPOINTS means no ready Pod matches the selector;
#    endpoints but PORTS <unset> means the targetPort name matches no container port.
kubectl get endpointslices -l "kubernetes.io/service-name=$svc" -o wide

# 3. Which Pods does the selector match, and are they Ready? (No resources found =
#    the selector matches nothing: compare it with the Pods' labels.)
# shellcheck disable=SC2016 # a Go template, expanded by kubectl, not by the shell
selector=$(kubectl get service "$svc" -o go-template='{{range $k, $v := .spec.selector}}{{$k}}={{$v}},{{end}}')
kubectl get pods -l "${selector%,}" -o wide
kubectl get pods --show-labels

# 4. targetPort against the ports the containers declare and listen on.
kubectl get service "$svc" -o jsonpath='{range .spec.ports[*]}{.name}{": port "}{.port}{" -> targetPort "}{.targetPort}{"\n"}{end}'
kubectl get pods -l app.kubernetes.io/name=echo \
  -o jsonpath='{range .items[0].spec.containers[*].ports[*]}{.name}{"="}{.containerPort}{"\n"}{end}'
pod_ip=$(kubectl get pods -l app.kubernetes.io/name=echo -o jsonpath='{.items[0].status.podIP}')
kubectl exec deploy/client -- curl -sS --max-time 5 "http://$pod_ip:8080/hostname"
echo

# 5. NetworkPolicies in the namespace (and which Pods they select).
kubectl get networkpolicies
kubectl describe networkpolicies

# 6. Recent events of the namespace, warnings first.
kubectl events --types=Warning
kubectl get events --sort-by=.lastTimestamp | tail -n 15
