# The client starts before the Service exists, so it gets no ECHO_ variables.
kubectl apply -f client.yaml
kubectl rollout status deployment/client --timeout=120s
kubectl apply -f deployment.yaml -f service.yaml
