#!/usr/bin/env bash
# Builds a pinned Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl) from the Go module proxy and caches it outside the repository.
#
# Prints the directory holding the binaries on its last line of stdout.
# Environment:
#   KUBE_VERSION / ETCD_VERSION  override the pinned versions (the cache is keyed by them)
#   AVN_CACHE_DIR                cache root (default: ${XDG_CACHE_HOME:-~/.cache}/aci-virtual-node)
#   AVN_KUBE_BIN_DIR             a directory of pre-built binaries: used as is, nothing is built
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.5.21}"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)

if [[ -n "${AVN_KUBE_BIN_DIR:-}" ]]; then
  for b in "${BINARIES[@]}"; do
    [[ -x "$AVN_KUBE_BIN_DIR/$b" ]] || { echo "AVN_KUBE_BIN_DIR=$AVN_KUBE_BIN_DIR lacks $b" >&2; exit 1; }
  done
  echo "$AVN_KUBE_BIN_DIR"
  exit 0
fi

cache_root="${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aci-virtual-node}"
out="$cache_root/control-plane/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"
if [[ -f "$out/.complete" ]]; then
  echo "$out"
  exit 0
fi

command -v go >/dev/null || { echo "Go toolchain not found: install Go to build the control plane" >&2; exit 1; }
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
work="$cache_root/control-plane/build-$KUBE_VERSION-etcd-$ETCD_VERSION"
mkdir -p "$work/kube" "$work/etcd" "$out.tmp"

# k8s.io/kubernetes replaces its staging modules with local paths, which `go install` refuses.
# A throwaway module pins each staging module to its published v0.Y.Z instead.
staging_version="v0.${KUBE_VERSION#v1.}"
gomod_url="${GOPROXY_URL:-https://proxy.golang.org}/k8s.io/kubernetes/@v/$KUBE_VERSION.mod"
(
  cd "$work/kube"
  printf 'module avn.local/kubebuild\n\ngo 1.24\n' > go.mod
  curl -fsSL "$gomod_url" | sed -n '/^replace (/,/^)/p' | awk '/=>/{print $1}' | while read -r m; do
    go mod edit -replace "$m=$m@$staging_version"
  done
  go mod edit -require "k8s.io/kubernetes@$KUBE_VERSION"
  printf 'package kubebuild\n' > doc.go
  pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
        k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
  echo ">> resolving k8s.io/kubernetes@$KUBE_VERSION" >&2
  go get "${pkgs[@]/%/@$KUBE_VERSION}" >&2
  minor="${KUBE_VERSION#v1.}"; minor="${minor%%.*}"
  ld=""
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
  done
  echo ">> building Kubernetes $KUBE_VERSION (takes a while on a small machine)" >&2
  go build -trimpath -ldflags "-s -w$ld" -o "$out.tmp/" "${pkgs[@]}" >&2
)
(
  cd "$work/etcd"
  printf 'module avn.local/etcdbuild\n\ngo 1.23\n' > go.mod
  printf 'package etcdbuild\n' > doc.go
  echo ">> building etcd $ETCD_VERSION" >&2
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  go build -trimpath -ldflags "-s -w" -o "$out.tmp/etcd" go.etcd.io/etcd/server/v3 >&2
)
rm -rf "$out"
mv "$out.tmp" "$out"
touch "$out/.complete"
rm -rf "$work"
echo "$out"
