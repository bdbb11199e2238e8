#!/usr/bin/env bash
# Local demo: control plane, ACI emulator, operator, a sample VirtualNode and a workload.
echo "The local demo arrives with the pod lifecycle (pods running as container groups)." >&2
echo "Until then: 'mvn -B verify' runs every test; README.md shows how to start the control plane." >&2
exit 1
