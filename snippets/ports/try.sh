set -euo pipefail
kubectl apply -f deployment.yaml -f service.yaml -f client.yaml
kubectl rollout status deployment/web --timeout=120s
kubectl rollout status deployment/client --timeout=120s

# PORT(S) lists each Service port as port:nodePort/protocol; the API server picked the nodePorts.
kubectl get service web
# The EndpointSlice holds the resolved Pod ports: the name "http" became 8080.
kubectl get endpointslices -l kubernetes.io/service-name=web \
  -o jsonpath='{range .items[*].ports[*]}{.name}{" -> "}{.port}{"/"}{.protocol}{"\n"}{end}'

# Service port 80 -> targetPort "http" (8080) in the web container.
kubectl exec deploy/client -- curl -sS --max-time 5 "http://web:80/hostname"
echo
# Service port 9090 -> targetPort 9090 in the metrics container, which declares no containerPort at all.
kubectl exec deploy/client -- curl -sS --max-time 5 "http://web:9090/hostname"
echo
# A UDP Service port: netexec answers the "hostname" command over UDP.
kubectl exec deploy/client -- sh -c 'echo hostname | nc -u -w 2 web 8081'
echo
# The cluster IP answers only on Service ports: 8080 is a targetPort, so this gets no answer.
kubectl exec deploy/client -- curl -sS --max-time 3 "http://web:8080/hostname" || echo "no answer on 8080"
