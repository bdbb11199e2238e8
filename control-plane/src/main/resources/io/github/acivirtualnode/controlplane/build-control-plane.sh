#!/usr/bin/env bash
# Builds a pinned Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl) from the Go module proxy and caches it outside the repository.
#
#   build-control-plane.sh            build (or reuse) the binaries; the last line of stdout is
#                                     the directory holding them
#   build-control-plane.sh prebuild   the same, run by Maven before the tests: a machine without Go
#                                     (tests on k3s) only gets a notice
#   build-control-plane.sh gomod DIR  write the throwaway go.mod of the Kubernetes build into DIR
#                                     and check it; downloads one go.mod file, builds nothing
#
# The module proxy is whatever the go command is configured with (`go env GOPROXY`).
# Environment:
#   KUBE_VERSION / ETCD_VERSION  override the pinned versions (the cache is keyed by them)
#   AVN_CACHE_DIR                cache root (default: ${XDG_CACHE_HOME:-~/.cache}/aci-virtual-node)
#   AVN_KUBE_BIN_DIR             a directory of pre-built binaries: used as is, nothing is built
#   AVN_GO_RETRIES               attempts for each download step (default 4)
#   AVN_GO_RETRY_DELAY           seconds before the first retry, tripled for each next (default 5)
set -euo pipefail

KUBE_VERSION="${KUBE_VERSION:-v1.35.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.5.21}"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl)
KUBE_PACKAGES=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
               k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl)
# Staging modules are published as v0.Y.Z for Kubernetes v1.Y.Z.
STAGING_VERSION="v0.${KUBE_VERSION#v1.}"

started=$SECONDS
# Progress goes to the caller's stderr (fd 8) even from steps whose own stderr is captured.
exec 8>&2
say() { printf '[control-plane %4ds] %s\n' "$((SECONDS - started))" "$*" >&8; }
die() { say "ERROR: $*"; exit 1; }

# Output that means the network failed, as opposed to an answer (a 404, a missing version).
NETWORK_ERRORS='dial tcp|i/o timeout|connection reset|connection refused|TLS handshake timeout'
NETWORK_ERRORS+='|no such host|server misbehaving|network is unreachable|unexpected EOF'
NETWORK_ERRORS+='|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|stream error'
NETWORK_ERRORS+='|temporary failure|Temporary failure'

# retry WHAT CMD...: runs CMD; a failure that looks like the network's is retried with backoff.
retry() {
  local what=$1 attempts=${AVN_GO_RETRIES:-4} delay=${AVN_GO_RETRY_DELAY:-5} attempt log
  shift
  log=$(mktemp)
  for ((attempt = 1; ; attempt++)); do
    if "$@" 2>"$log"; then
      cat "$log" >&2
      rm -f "$log"
      return 0
    fi
    cat "$log" >&2
    if ((attempt >= attempts)) || ! grep -Eq "$NETWORK_ERRORS" "$log"; then
      rm -f "$log"
      die "$what failed (attempt $attempt of $attempts; output above)"
    fi
    say "$what: network error, retrying in ${delay}s (attempt $attempt of $attempts)"
    sleep "$delay"
    delay=$((delay * 3))
  done
}

# ticking WHAT CMD...: runs CMD, saying every minute that it is still at it.
ticking() {
  local what=$1 ticker rc=0
  shift
  (while sleep 60; do say "$what: still running"; done) &
  ticker=$!
  "$@" || rc=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  return "$rc"
}

# Prints the module paths that a go.mod file replaces, one per line, using Go's own parser.
replaced_modules() {
  go mod edit -json "$1" | awk '
    /"Replace": \[/ { inside = 1 }
    inside && /"Old": \{/ { old = 1; next }
    old && /"Path":/ { gsub(/[",]/, "", $2); print $2; old = 0 }'
}

# Writes DIR/go.mod in one write: requires k8s.io/kubernetes and pins every module that its own
# go.mod replaces (local staging paths, which `go install` refuses) to the published version.
write_kube_gomod() {
  local dir=$1 kube_gomod go_line modules m missing=()
  mkdir -p "$dir"
  kube_gomod=$(retry "fetching the go.mod of k8s.io/kubernetes@$KUBE_VERSION" \
    go list -m -f '{{.GoMod}}' "k8s.io/kubernetes@$KUBE_VERSION")
  [[ -f "$kube_gomod" ]] || die "go list gave no go.mod for k8s.io/kubernetes@$KUBE_VERSION"
  go_line=$(go mod edit -json "$kube_gomod" | awk -F'"' '$2 == "Go" { print $4; exit }')
  modules=$(replaced_modules "$kube_gomod")
  [[ -n "$modules" ]] || die "$kube_gomod replaces no module: cannot derive the staging pins"
  {
    printf 'module avn.local/kubebuild\n\ngo %s\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' \
      "${go_line:-1.25.0}" "$KUBE_VERSION"
    while read -r m; do printf '\t%s => %s %s\n' "$m" "$m" "$STAGING_VERSION"; done <<<"$modules"
    printf ')\n'
  } >"$dir/go.mod.new"
  mv "$dir/go.mod.new" "$dir/go.mod"
  # Read the file back through Go's parser: every replaced module must have its pin.
  while read -r m; do
    go mod edit -json "$dir/go.mod" | tr -d ' \t\n' |
      grep -q "\"Old\":{\"Path\":\"$m\"},\"New\":{\"Path\":\"$m\",\"Version\":\"$STAGING_VERSION\"}" ||
      missing+=("$m")
  done <<<"$modules"
  if ((${#missing[@]} > 0)); then
    die "the generated $dir/go.mod lacks the pins of: ${missing[*]}"
  fi
  printf 'package kubebuild\n' >"$dir/doc.go"
  say "go.mod written: k8s.io/kubernetes $KUBE_VERSION, $(wc -l <<<"$modules") staging modules pinned to $STAGING_VERSION"
}

if [[ "${1:-}" == gomod ]]; then
  [[ -n "${2:-}" ]] || die "usage: $0 gomod DIR"
  export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS=-mod=mod
  write_kube_gomod "$2"
  cat "$2/go.mod"
  exit 0
fi

if [[ -n "${AVN_KUBE_BIN_DIR:-}" ]]; then
  for b in "${BINARIES[@]}"; do
    [[ -x "$AVN_KUBE_BIN_DIR/$b" ]] || die "AVN_KUBE_BIN_DIR=$AVN_KUBE_BIN_DIR lacks $b"
  done
  echo "$AVN_KUBE_BIN_DIR"
  exit 0
fi

cache_root="${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aci-virtual-node}"
builds="$cache_root/control-plane"
out="$builds/kube-$KUBE_VERSION-etcd-$ETCD_VERSION"
if [[ -f "$out/.complete" ]]; then
  echo "$out"
  exit 0
fi

if [[ "${1:-}" == prebuild ]] && { [[ "${AVN_CLUSTER:-}" == k3s ]] || ! command -v go >/dev/null; }; then
  say "not building the control plane here (no Go, or AVN_CLUSTER=k3s); tests that need it say so"
  exit 0
fi
command -v go >/dev/null ||
  die "no Go toolchain on PATH: install Go 1.25 or newer (.ci/ensure-go.sh does) to build the control plane"
mkdir -p "$builds"
# One build at a time: a second one (another mvn, the demo) waits and then reuses the result.
exec 9>"$builds/.lock"
if ! flock -n 9; then
  say "another build of the control plane is running; waiting for it"
  flock 9
fi
if [[ -f "$out/.complete" ]]; then
  echo "$out"
  exit 0
fi

# A fresh work directory per attempt: nothing of an interrupted build is ever reused, and the
# finished binaries reach $out by one rename.
rm -rf "$builds"/build-* "$builds"/build.* "$out"
work=$(mktemp -d "$builds/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS=-mod=mod
say "first run: building Kubernetes $KUBE_VERSION and etcd $ETCD_VERSION from Go modules"
say "this takes 5 to 10 minutes on 2 cores; it is cached in $out"
say "Go: $(go version), module proxy: $(go env GOPROXY)"

say "phase 1/4: resolving k8s.io/kubernetes@$KUBE_VERSION and its staging modules"
write_kube_gomod "$work/kube"
(cd "$work/kube" && retry "resolving k8s.io/kubernetes@$KUBE_VERSION" \
  ticking "resolving modules" go get "${KUBE_PACKAGES[@]/%/@$KUBE_VERSION}")

say "phase 2/4: compiling kube-apiserver, kube-controller-manager, kube-scheduler, kubectl"
minor="${KUBE_VERSION#v1.}"
minor="${minor%%.*}"
ld=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
  ld+=" -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
mkdir -p "$work/out"
(cd "$work/kube" && ticking "compiling Kubernetes" \
  go build -trimpath -ldflags "-s -w$ld" -o "$work/out/" "${KUBE_PACKAGES[@]}" >&2)

say "phase 3/4: resolving etcd $ETCD_VERSION"
mkdir -p "$work/etcd"
printf 'module avn.local/etcdbuild\n\ngo 1.23\n\nrequire go.etcd.io/etcd/server/v3 %s\n' \
  "$ETCD_VERSION" >"$work/etcd/go.mod"
printf 'package etcdbuild\n' >"$work/etcd/doc.go"
(cd "$work/etcd" && retry "resolving etcd $ETCD_VERSION" \
  ticking "resolving modules" go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION")

say "phase 4/4: compiling etcd"
(cd "$work/etcd" && ticking "compiling etcd" \
  go build -trimpath -ldflags "-s -w" -o "$work/out/etcd" go.etcd.io/etcd/server/v3 >&2)

for b in "${BINARIES[@]}"; do
  [[ -x "$work/out/$b" ]] || die "the build produced no $b"
done
touch "$work/out/.complete"
mv -T "$work/out" "$out"
say "done: binaries in $out"
echo "$out"
