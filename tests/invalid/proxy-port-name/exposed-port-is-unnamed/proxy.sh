ns=$(kubectl config view --minify -o jsonpath='{..namespace}')
kubectl get --raw "/api/v1/namespaces/${ns:-default}/services/echo:http/proxy/hostname"
