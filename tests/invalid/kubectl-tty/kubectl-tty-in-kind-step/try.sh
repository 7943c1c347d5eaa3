kubectl apply -f deployment.yaml
kubectl exec -it deploy/echo -- wget -qO- http://localhost:8080/hostname
