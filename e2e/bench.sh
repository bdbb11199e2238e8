#!/usr/bin/env bash
# Runs the benchmark of issue 13 (OperatorBenchmark): the local control plane, an ACI emulator per
# scenario and the operator, through burst, spread, steady, heartbeat and churn; writes
# e2e/target/bench/report.md, its PNG charts and summary.json. Not part of the test command.
#
#   e2e/bench.sh [--scale small|medium|full] [-- MAVEN_ARGS...]
# small (the default) takes a few minutes on 2 cores, medium about a tenth of issue 13's sizes,
# full issue 13's. Arguments after -- go to Maven, for example -- -o to build offline,
# -Davn.bench.scenarios=burst-zero-delay,footprint to run only those, -Davn.bench.peer=false to
# leave the peer out, -Davn.bench.operatorEnv=AVN_POD_WORKERS=8,AVN_STATUS_LIST_SECONDS=3 to
# measure the operator with other settings.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scale=small
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=${2:?--scale needs small, medium or full}; shift 2 ;;
    --scale=*) scale=${1#--scale=}; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$scale" in
  small|medium|full) ;;
  *) echo "bench.sh: --scale must be small, medium or full, not $scale" >&2; exit 2 ;;
esac
cd "$repo"
echo "[bench] scale $scale; report in $repo/e2e/target/bench/report.md"
mvn -B verify -pl pki,control-plane,crds,aci-emulator,operator,e2e \
  -Dit.test=OperatorBenchmark -Dtest=NoSuchTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Davn.bench.scale="$scale" "$@"
echo "[bench] report: $repo/e2e/target/bench/report.md"
