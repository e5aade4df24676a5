#!/usr/bin/env bash
# The test command: builds gdchaos and runs every test (conformance suite on each backend the
# machine can run, kernels compiled with nvcc where it exists, trainer, Lyapunov, sweeps, CLI).
# Under CI=true a backend the machine should run (Java, OpenCL) fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp test "$@"
