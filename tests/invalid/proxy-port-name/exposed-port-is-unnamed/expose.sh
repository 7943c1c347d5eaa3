kubectl apply -f deployment.yaml
kubectl expose deployment echo --port=80 --target-port=http
