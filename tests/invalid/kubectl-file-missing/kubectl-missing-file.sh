# expect: error[kubectl-file-missing]: kubectl apply: 'servcie.yaml' does not exist in tests/invalid/
kubectl apply -f servcie.yaml
