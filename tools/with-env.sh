#!/usr/bin/env bash
# Runs a command with the project's toolchain and Pulumi environment.
set -euo pipefail
# shellcheck source=tools/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec "$@"
