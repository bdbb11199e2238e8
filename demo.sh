#!/usr/bin/env bash
# Local demo: a real Kubernetes control plane, the ACI emulator, the operator, the sample
# VirtualNode and the sample workloads (samples/pod.yaml, samples/nginx.yaml), all on this machine.
# Waits until the workloads run, shows them, and stays up; Ctrl-C or SIGTERM stops everything.
# Exits 1 if the workloads do not come up.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q install -DskipTests
exec mvn -B -q -pl e2e exec:java -Dexec.args="$PWD ${AVN_DEMO_DIR:-/tmp/avn-demo}"
