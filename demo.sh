#!/usr/bin/env bash
# Local demo: a real Kubernetes control plane, the ACI emulator, the operator, the sample
# VirtualNode and workload, all on this machine. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q install -DskipTests
exec mvn -B -q -pl e2e exec:java -Dexec.args="$PWD ${AVN_DEMO_DIR:-/tmp/avn-demo}"
