# The -ldflags helm's own Makefile stamps into a release: its version, and the Kubernetes version
# that `helm template` and `helm lint` assume, from the client-go helm is built with (1.y for
# client-go 0.y).
helm=$(go list -m -f '{{.Version}}' helm.sh/helm/v3)
client_go=$(go list -m -f '{{.Version}}' k8s.io/client-go)
minor=$(cut -d. -f2 <<<"$client_go")
printf -- '-X helm.sh/helm/v3/internal/version.version=%s -X helm.sh/helm/v3/internal/version.metadata=' "$helm"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  printf -- ' -X %s.k8sVersionMajor=1 -X %s.k8sVersionMinor=%s' "$p" "$p" "$minor"
done
