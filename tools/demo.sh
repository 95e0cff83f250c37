#!/usr/bin/env bash
# The README's main job (`npm run demo`): start the local emulator (the
# embedded default endpoint), preview and deploy the quick start (Pulumi.yaml
# at the repository root) against it on a throwaway stack, print the jobs as
# the emulator holds them, then destroy the stack and stop the emulator.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$here/bootstrap.sh"
# shellcheck source=tools/env.sh
source "$here/env.sh"
cd "$BI_ROOT"

port="${DEMO_PORT:-9100}"
log="$BI_TOOLS/demo-emulator.log"
node dist/provider/cli/main.js emulator --port "$port" --admin >"$log" 2>&1 &
emulator=$!
stack="demo-$$"
cleanup() {
  pulumi --non-interactive stack rm --yes --force --stack "$stack" >/dev/null 2>&1 || true
  if kill -0 "$emulator" 2>/dev/null; then
    kill -TERM "$emulator"
    wait "$emulator" || true
    echo "demo: emulator stopped"
  fi
}
trap cleanup EXIT
for _ in $(seq 50); do
  grep -q "^listening on " "$log" && break
  kill -0 "$emulator" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
url=$(head -1 "$log" | sed 's/^listening on //')
# The emulator's default key pair, read from its one definition
# (provider/emulator/credentials.ts, built into dist/ by the bootstrap).
read -r key secret < <(node -p '
  const c = require("./dist/provider/emulator/credentials.js").EMULATOR_DEFAULT_CREDENTIAL;
  c.id + " " + c.secret;
')
echo "demo: emulator $url (credentials $key / $secret)"

# The emulator's default credentials and endpoint, for this demo only: it
# serves both clouds on one port.
export TENCENTCLOUD_SECRET_ID="$key"
export TENCENTCLOUD_SECRET_KEY="$secret"
export BUCKET_INVENTORY_COS_ENDPOINT="$url"
export ALICLOUD_ACCESS_KEY="$key"
export ALICLOUD_SECRET_KEY="$secret"
export BUCKET_INVENTORY_OSS_ENDPOINT="$url"

pulumi --non-interactive stack init "$stack" >/dev/null
echo "demo: == pulumi preview"
pulumi --non-interactive preview --stack "$stack"
echo "demo: == pulumi up"
pulumi --non-interactive up --yes --skip-preview --stack "$stack"
echo "demo: == the jobs as the emulator holds them"
node -e '
  fetch(process.argv[1] + "/_emulator/jobs").then((r) => r.json()).then((j) => console.log(JSON.stringify(j, null, 2)));
' "$url"
echo "demo: == pulumi destroy"
pulumi --non-interactive destroy --yes --skip-preview --stack "$stack"
