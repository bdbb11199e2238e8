#!/usr/bin/env bash
# Builds (or reuses) one of the Go tools the tests run, from the module in e2e/src/test/go/NAME/,
# and prints the binary's path on the last line of stdout:
#
#   build-go-tool.sh NAME
#
# What is built: the packages that NAME/go.mod names with `tool` directives (a tool taken whole
# from its own module, e.g. helm), else the module's own main package. NAME/ldflags.sh, if there,
# is run in NAME/ once the modules are downloaded and prints extra -ldflags (versions stamped into
# the binary, as the tool's own release build stamps them).
#
# Cached like the control plane: under
# ${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/aci-virtual-node}/NAME/<hash of NAME/'s files and
# the Go version>, one build at a time (flock), in a fresh work directory that reaches the cache by
# one rename, so an interrupted build leaves nothing that is reused. Modules come from whatever
# proxy the go command is configured with (`go env GOPROXY`), checked against NAME/go.sum; network
# failures are retried with backoff.
# Environment:
#   AVN_CACHE_DIR        cache root (default: ${XDG_CACHE_HOME:-~/.cache}/aci-virtual-node)
#   AVN_GO_RETRIES       attempts for the download (default 4)
#   AVN_GO_RETRY_DELAY   seconds before the first retry, tripled for each next (default 5)
set -euo pipefail

name="${1:?usage: build-go-tool.sh NAME}"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/$name" && pwd)"
started=$SECONDS
say() { printf '[%s %4ds] %s\n' "$name" "$((SECONDS - started))" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }
command -v go >/dev/null || die "no Go toolchain on PATH: install Go 1.26 or newer (.ci/ensure-go.sh does)"

key=$({ go version; (cd "$src" && find . -type f | LC_ALL=C sort | xargs sha256sum); } |
  sha256sum | cut -c1-16)
cache_root="${AVN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aci-virtual-node}"
builds="$cache_root/$name"
out="$builds/$key"
if [[ -f "$out/.complete" ]]; then
  echo "$out/$name"
  exit 0
fi
mkdir -p "$builds"
# One build at a time: a second one (another test JVM, a developer's shell) waits, then reuses it.
exec 9>"$builds/.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi
if [[ -f "$out/.complete" ]]; then
  echo "$out/$name"
  exit 0
fi

rm -rf "$builds"/build.*
work=$(mktemp -d "$builds/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}" CGO_ENABLED=0 GOFLAGS=-mod=readonly
say "first use: building from Go modules, cached in $out"
say "Go: $(go version), module proxy: $(go env GOPROXY)"

# Output that means the network failed, as opposed to an answer (a 404, a checksum mismatch).
NETWORK_ERRORS='dial tcp|i/o timeout|connection reset|connection refused|TLS handshake timeout'
NETWORK_ERRORS+='|no such host|server misbehaving|network is unreachable|unexpected EOF'
NETWORK_ERRORS+='|502 Bad Gateway|503 Service Unavailable|504 Gateway Timeout|stream error'
NETWORK_ERRORS+='|temporary failure|Temporary failure'
attempts=${AVN_GO_RETRIES:-4}
delay=${AVN_GO_RETRY_DELAY:-5}
say "downloading modules"
for ((attempt = 1; ; attempt++)); do
  if (cd "$src" && go mod download) 2>"$work/log"; then
    break
  fi
  cat "$work/log" >&2
  if ((attempt >= attempts)) || ! grep -Eq "$NETWORK_ERRORS" "$work/log"; then
    die "downloading the modules failed (attempt $attempt of $attempts; output above)"
  fi
  say "network error, retrying in ${delay}s (attempt $attempt of $attempts)"
  sleep "$delay"
  delay=$((delay * 3))
done

mapfile -t packages < <(cd "$src" && go mod edit -json | awk '
  /"Tool": \[/ { inside = 1; next }
  inside && /\]/ { inside = 0 }
  inside && /"Path":/ { gsub(/[",]/, "", $2); print $2 }')
((${#packages[@]} > 0)) || packages=(.)
((${#packages[@]} == 1)) || die "$src/go.mod names ${#packages[@]} tools; one is built per NAME"
ldflags="-s -w"
if [[ -f "$src/ldflags.sh" ]]; then
  ldflags+=" $(cd "$src" && bash ./ldflags.sh)"
fi
say "compiling ${packages[0]}"
mkdir -p "$work/out"
# A line a minute while compiling, so that a long first build is seen to be alive. The ticker
# drops the lock and stops with this script: a killed build must not leave it holding the lock.
(exec 9>&-; while sleep 60 && kill -0 $$ 2>/dev/null; do say "compiling: still running"; done) &
ticker=$!
rc=0
(cd "$src" && go build -trimpath -ldflags "$ldflags" -o "$work/out/$name" "${packages[0]}") >&2 || rc=$?
kill "$ticker" 2>/dev/null || true
wait "$ticker" 2>/dev/null || true
((rc == 0)) || die "compiling ${packages[0]} failed (output above)"
[[ -x "$work/out/$name" ]] || die "the build produced no $name"
touch "$work/out/.complete"
rm -rf "$out"
mv -T "$work/out" "$out"
say "built $out/$name"
echo "$out/$name"
