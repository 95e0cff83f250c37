#!/usr/bin/env bash
# `npm run pulumi -- <args>`: the project's Pulumi CLI in the offline environment.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=tools/env.sh
source "$here/env.sh"
if [ ! -x "$BI_PULUMI_BIN/pulumi" ]; then
  bash "$here/bootstrap.sh" >&2
fi
exec "$BI_PULUMI_BIN/pulumi" --non-interactive "$@"
