# expect: error[kubectl-unknown-command]: kubectl rollout has no subcommand 'stat'
kubectl rollout stat deployment/echo --timeout=60s
