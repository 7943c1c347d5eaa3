# expect: shellcheck-SC1073
kubectl get svc "echo
