#!/usr/bin/env bash
# Builds (or reuses) the reference implementation, virtual-kubelet/azure-aci, unmodified, and
# prints the binary's path on the last line of stdout:
#
#   build.sh
#
# `go install ...@VERSION` does not work here (the module proxy need not serve the version list),
# so the exact version is fetched with `go mod download -json`, its checksum compared with the one
# pinned below, the module directory it names copied, and ./cmd/virtual-kubelet built there with
# the module's own go.mod and go.sum.
#
# Cached like the Go tools of build-go-tool.sh: under
# ${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/aci-virtual-node}/peer-azure-aci/<hash of the
# version and the Go version>, one build at a time (flock), in a fresh work directory
# that reaches the cache by one rename. Modules come from `go env GOPROXY`; network failures are
# retried with backoff (AVN_GO_RETRIES, AVN_GO_RETRY_DELAY as for build-go-tool.sh).
set -euo pipefail

module=github.com/virtual-kubelet/azure-aci
version=v1.6.4
# The go.sum line of the module's zip, so a different tree under the same version is refused.
sum='h1:yIzUlojiD2vpdLJfAPYEi2HWc7lWnmJaaxKoFK9/T60='
name=peer-azure-aci

started=$SECONDS
say() { printf '[%s %4ds] %s\n' "$name" "$((SECONDS - started))" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
command -v go >/dev/null || die "no Go toolchain on PATH: install Go 1.24 or newer"

key=$({ echo "$module@$version $sum"; go version; } |
  sha256sum | cut -c1-16)
cache_root="${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aci-virtual-node}"
builds="$cache_root/$name"
out="$builds/$key"
binary="$out/virtual-kubelet"
if [[ -f "$out/.complete" ]]; then
  echo "$binary"
  exit 0
fi
mkdir -p "$builds"
exec 9>"$builds/.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi
if [[ -f "$out/.complete" ]]; then
  echo "$binary"
  exit 0
fi

rm -rf "$builds"/build.*
work=$(mktemp -d "$builds/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0
say "first use: building $module@$version, cached in $out"
say "Go: $(go version), module proxy: $(go env GOPROXY)"

NETWORK_ERRORS='dial tcp|i/o timeout|connection reset|connection refused|TLS handshake timeout'
NETWORK_ERRORS+='|no such host|server misbehaving|network is unreachable|unexpected EOF'
NETWORK_ERRORS+='|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|stream error'
NETWORK_ERRORS+='|temporary failure|Temporary failure'
# Runs "$@" in $PWD, retrying on network errors only; its stdout goes to $work/stdout.
retrying() {
  local attempts=${AVN_GO_RETRIES:-4} delay=${AVN_GO_RETRY_DELAY:-5} attempt
  for ((attempt = 1; ; attempt++)); do
    if "$@" >"$work/stdout" 2>"$work/log"; then
      return 0
    fi
    cat "$work/log" >&2
    if ((attempt >= attempts)) || ! grep -Eq "$NETWORK_ERRORS" "$work/log" "$work/stdout"; then
      cat "$work/stdout" >&2
      die "'$*' failed (attempt $attempt of $attempts; output above)"
    fi
    say "network error, retrying in ${delay}s (attempt $attempt of $attempts)"
    sleep "$delay"
    delay=$((delay * 3))
  done
}

say "downloading $module@$version"
# Outside any module, so that no go.mod around this script is consulted or changed.
mkdir -p "$work/empty"
(cd "$work/empty" && GOFLAGS=-mod=mod retrying go mod download -json "$module@$version")
field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" "$work/stdout" | head -1; }
dir=$(field Dir)
got=$(field Sum)
[[ -n "$dir" && -d "$dir" ]] || die "go mod download named no module directory: $(cat "$work/stdout")"
[[ "$got" == "$sum" ]] || die "$module@$version has checksum $got, expected $sum"

# The module cache is read-only; the build runs in a copy, with the module's own go.sum.
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
say "downloading its dependencies"
(cd "$work/src" && GOFLAGS=-mod=readonly retrying go mod download)
say "compiling ./cmd/virtual-kubelet"
mkdir -p "$work/out"
# A line a minute while compiling. The ticker drops the lock and stops with this script: a
# killed build must not leave it holding the lock.
(exec 9>&-; while sleep 60 && kill -0 $$ 2>/dev/null; do say "compiling: still running"; done) &
ticker=$!
rc=0
(cd "$work/src" && GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" \
  -o "$work/out/virtual-kubelet" ./cmd/virtual-kubelet) >&2 || rc=$?
kill "$ticker" 2>/dev/null || true
wait "$ticker" 2>/dev/null || true
((rc == 0)) || die "compiling ./cmd/virtual-kubelet failed (output above)"
[[ -x "$work/out/virtual-kubelet" ]] || die "the build produced no virtual-kubelet"
touch "$work/out/.complete"
rm -rf "$out"
mv -T "$work/out" "$out"
say "built $binary"
echo "$binary"
