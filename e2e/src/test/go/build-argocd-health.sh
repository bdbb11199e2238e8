#!/usr/bin/env bash
# Builds (or reuses) the argocd-health harness from argocd-health/ and prints the binary's path on
# the last line of stdout. Cached like the control plane: under
# ${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/aci-virtual-node}/argocd-health/<hash of the sources
# and the Go version>, one build at a time (flock), in a fresh work directory that reaches the cache
# by one rename, so an interrupted build leaves nothing that is reused. Modules come from whatever
# proxy the go command is configured with (`go env GOPROXY`), checked against go.sum.
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/argocd-health" && pwd)"
say() { printf '[argocd-health] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
command -v go >/dev/null || die "no Go toolchain on PATH: install Go 1.25 or newer (.ci/ensure-go.sh does)"

key=$({ go version; cat "$src/go.mod" "$src/go.sum" "$src/main.go"; } | sha256sum | cut -c1-16)
cache_root="${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aci-virtual-node}"
builds="$cache_root/argocd-health"
out="$builds/$key"
if [[ -f "$out/.complete" ]]; then
  echo "$out/argocd-health"
  exit 0
fi
mkdir -p "$builds"
exec 9>"$builds/.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi
if [[ -f "$out/.complete" ]]; then
  echo "$out/argocd-health"
  exit 0
fi

work=$(mktemp -d "$builds/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS=-mod=readonly
say "building from Go modules (module proxy: $(go env GOPROXY))"
NETWORK_ERRORS='dial tcp|i/o timeout|connection reset|connection refused|TLS handshake timeout'
NETWORK_ERRORS+='|no such host|server misbehaving|network is unreachable|unexpected EOF'
NETWORK_ERRORS+='|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|temporary failure'
delay=5
for attempt in 1 2 3 4; do
  if (cd "$src" && go mod download) 2>"$work/log"; then
    break
  fi
  cat "$work/log" >&2
  if ((attempt == 4)) || ! grep -Eq "$NETWORK_ERRORS" "$work/log"; then
    die "downloading the modules failed (attempt $attempt; output above)"
  fi
  say "network error, retrying in ${delay}s"
  sleep "$delay"
  delay=$((delay * 3))
done
mkdir -p "$work/out"
(cd "$src" && go build -trimpath -ldflags "-s -w" -o "$work/out/argocd-health" .) >&2
touch "$work/out/.complete"
rm -rf "$out"
mv -T "$work/out" "$out"
say "built $out/argocd-health"
echo "$out/argocd-health"
