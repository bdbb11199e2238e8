#!/usr/bin/env bash
# Simulates a fresh machine, then runs the README's two commands from a clean clone and prints how
# long each took. Each run gets a temporary HOME: an empty Maven repository, empty Go module and
# build caches and an empty aci-virtual-node cache (the control plane is rebuilt). The Maven
# settings and the go command's own configuration are carried over, so the same registries are
# used. Not part of the test command: every run downloads and builds everything.
#
#   e2e/fresh-machine.sh [RUNS]   RUNS fresh runs one after another (default 1)
# Environment: AVN_FRESH_ORDER=demo runs ./demo.sh before mvn -B verify (default: verify first);
# AVN_FRESH_KEEP=1 keeps each run's temporary HOME.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-1}
order=${AVN_FRESH_ORDER:-verify}
report=$(mktemp -d /tmp/avn-fresh.XXXXXX)
echo "[fresh] logs and timings in $report"

run_verify() { (cd "$1/repo" && mvn -B verify) >"$2/verify.log" 2>&1; }

# The demo runs until stopped: it counts as up when it prints its banner.
run_demo() {
  local home=$1 log=$2/demo.log pid
  (cd "$home/repo" && exec setsid ./demo.sh) >"$log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    if grep -q "The local demo is up" "$log"; then
      # SIGTERM, not SIGINT: a background job of a non-interactive shell starts with SIGINT
      # ignored, which the JVM keeps (a person's Ctrl-C in a terminal does reach it).
      kill -TERM -- -"$pid" 2>/dev/null || true
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -KILL -- -"$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 2
  done
  wait "$pid" 2>/dev/null || true
  return 1
}

timed() {
  local name=$1 run=$2 start=$SECONDS rc=0
  shift 2
  "$@" || rc=$?
  local took=$((SECONDS - start))
  printf '%s\trun %d\t%s\t%dm%02ds\n' "$name" "$run" "$([[ $rc == 0 ]] && echo pass || echo FAIL)" \
    $((took / 60)) $((took % 60)) | tee -a "$report/timings.tsv"
  return "$rc"
}

status=0
for ((run = 1; run <= runs; run++)); do
  home=$(mktemp -d /tmp/avn-fresh-home.XXXXXX)
  logs="$report/run-$run"
  mkdir -p "$logs" "$home/.m2"
  [[ -f "$HOME/.m2/settings.xml" ]] && cp "$HOME/.m2/settings.xml" "$home/.m2/"
  goenv=$(go env GOENV 2>/dev/null || true)
  if [[ -n "$goenv" && -f "$goenv" ]]; then
    mkdir -p "$home/.config/go" && cp "$goenv" "$home/.config/go/env"
  fi
  # Each run clones HEAD as it is then: commits made meanwhile are in the next run.
  git clone -q "$repo" "$home/repo"
  echo "[fresh] run $run of $runs in $home, clone of $(git -C "$home/repo" rev-parse --short HEAD)" |
    tee -a "$report/timings.tsv"
  fresh_env=(env -u XDG_CACHE_HOME -u GOMODCACHE -u GOCACHE -u GOPATH -u GOENV -u AVN_KUBE_BIN_DIR
             -u AVN_CACHE_DIR -u MAVEN_OPTS HOME="$home"
             AVN_DEMO_DIR="$home/demo")
  if [[ $order == demo ]]; then
    timed ./demo.sh "$run" "${fresh_env[@]}" bash -c "$(declare -f run_demo); run_demo '$home' '$logs'" || status=1
    timed "mvn -B verify" "$run" "${fresh_env[@]}" bash -c "$(declare -f run_verify); run_verify '$home' '$logs'" || status=1
  else
    timed "mvn -B verify" "$run" "${fresh_env[@]}" bash -c "$(declare -f run_verify); run_verify '$home' '$logs'" || status=1
    timed ./demo.sh "$run" "${fresh_env[@]}" bash -c "$(declare -f run_demo); run_demo '$home' '$logs'" || status=1
  fi
  [[ -n "${AVN_FRESH_KEEP:-}" ]] || { chmod -R u+w "$home"; rm -rf "$home"; }
done
echo "[fresh] timings:"
cat "$report/timings.tsv"
exit "$status"
