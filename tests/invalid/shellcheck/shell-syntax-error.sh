# expect: error[shellcheck-SC1073]: Couldn't parse this double quoted string
kubectl get svc "echo
