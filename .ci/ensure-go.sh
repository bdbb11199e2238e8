#!/usr/bin/env bash
# Sourced by .ci/run and e2e/fresh-machine.sh: puts a Go toolchain new enough for the
# control-plane build and the tests' helm (Go 1.26+: helm v3.22 needs it) on PATH. No download
# host is named here: an older go command (Debian's golang-go if there is none at all) fetches the
# pinned toolchain as the module golang.org/toolchain from the module proxy it is configured with
# (`go env GOPROXY`).
avn_go_pin=1.26.8

avn_go_ok() {
  command -v go >/dev/null 2>&1 || return 1
  local v
  v=$(GOTOOLCHAIN=local go env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  local major=${v%%.*} rest=${v#*.}
  local minor=${rest%%.*}
  ((major > 1 || (major == 1 && minor >= 26)))
}

if ! avn_go_ok; then
  if ! command -v go >/dev/null 2>&1; then
    echo "[ensure-go] no go command: installing Debian's golang-go to bootstrap Go $avn_go_pin" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq golang-go >/dev/null
  fi
  avn_go_root="${XDG_CACHE_HOME:-$HOME/.cache}/aci-virtual-node/go-$avn_go_pin"
  if [[ ! -x "$avn_go_root/bin/go" ]]; then
    echo "[ensure-go] fetching Go $avn_go_pin as a module with $(go version)" >&2
    avn_arch=$(go env GOARCH)
    avn_tmp=$(mktemp -d)
    avn_dir=""
    for avn_attempt in 1 2 3 4; do
      if avn_dir=$(GOMODCACHE="$avn_tmp/mod" GOFLAGS= GOTOOLCHAIN=local go mod download -json \
        "golang.org/toolchain@v0.0.1-go$avn_go_pin.linux-$avn_arch" |
        awk -F'"' '$2 == "Dir" { print $4 }') && [[ -n "$avn_dir" ]]; then
        break
      fi
      echo "[ensure-go] download failed (attempt $avn_attempt of 4), retrying" >&2
      sleep $((avn_attempt * 10))
    done
    [[ -n "$avn_dir" ]] || { echo "[ensure-go] could not fetch Go $avn_go_pin" >&2; exit 1; }
    mkdir -p "$(dirname "$avn_go_root")"
    rm -rf "$avn_go_root.tmp"
    cp -r "$avn_dir" "$avn_go_root.tmp"
    chmod -R u+w "$avn_go_root.tmp" "$avn_tmp"
    # Module zips keep no file modes.
    chmod +x "$avn_go_root.tmp"/bin/* "$avn_go_root.tmp"/pkg/tool/*/*
    mv -T "$avn_go_root.tmp" "$avn_go_root"
    rm -rf "$avn_tmp"
  fi
  export PATH="$avn_go_root/bin:$PATH"
fi
export GOTOOLCHAIN=local
