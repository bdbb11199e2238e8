# The -ldflags metrics-server's own Makefile stamps into a release: its version, so that its log
# and `/version` say which metrics-server runs.
version=$(go list -m -f '{{.Version}}' sigs.k8s.io/metrics-server)
printf -- '-X k8s.io/client-go/pkg/version.gitVersion=%s' "$version"
