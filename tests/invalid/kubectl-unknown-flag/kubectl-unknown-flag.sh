# expect: error[kubectl-unknown-flag]: kubectl get has no flag --selctor; did you mean --selector?
kubectl get pods --selctor app.kubernetes.io/name=echo
