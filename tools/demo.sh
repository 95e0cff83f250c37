#!/usr/bin/env bash
# The README's main job (`npm run demo`): bootstrap, then preview and deploy the
# quick-start program (Pulumi.yaml at the repository root) on a throwaway stack
# with a local backend, show its outputs, and destroy it again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/bootstrap.sh"
# shellcheck source=tools/env.sh
source "$here/env.sh"
cd "$BI_ROOT"
stack="demo-$$"
cleanup() { pulumi --non-interactive stack rm --yes --force --stack "$stack" >/dev/null 2>&1 || true; }
trap cleanup EXIT
pulumi --non-interactive stack init "$stack" >/dev/null
echo "demo: == pulumi preview"
pulumi --non-interactive preview --stack "$stack"
echo "demo: == pulumi up"
pulumi --non-interactive up --yes --skip-preview --stack "$stack"
echo "demo: == stack outputs"
pulumi --non-interactive stack output --stack "$stack" --json
echo "demo: == pulumi destroy"
pulumi --non-interactive destroy --yes --skip-preview --stack "$stack"
