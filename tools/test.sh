#!/usr/bin/env bash
# The README's test command (`npm test`), and what CI runs: bootstrap the
# toolchain, then run the package.json scripts lint, typecheck and
# test:<layer> for the three test layers. It prints how many tests each layer
# ran and fails if any step fails, if a layer ran no tests, or if a layer
# skipped any.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The work tree must be as clean after the bootstrap and the tests as before:
# a step that rewrites a tracked file (npm rewriting the lock, a formatter) or
# leaves an unignored file behind is a failure. Untracked and modified files
# count; git-ignored ones (.tools/, dist/, node_modules/, ...) do not. On a
# clean clone (CI) that means `git status --porcelain` must stay empty; with
# uncommitted work, it must not change.
tree_status() { git -C "$here/.." status --porcelain --untracked-files=all 2>/dev/null || true; }
tree_before=$(tree_status)
unchanged_tree() { # unchanged_tree <when>
  local now
  now=$(tree_status)
  if [ "$now" != "$tree_before" ]; then
    echo "test: $1 the work tree changed; git status --porcelain:" >&2
    echo "${now:-(empty)}" >&2
    echo "test: before it was:" >&2
    echo "${tree_before:-(empty)}" >&2
    return 1
  fi
  echo "test: work tree unchanged $1"
}

t0=$(date +%s)
bash "$here/bootstrap.sh" || exit 1
echo "test: bootstrap took $(($(date +%s) - t0))s"

# shellcheck source=tools/env.sh
source "$here/env.sh"
cd "$BI_ROOT"
reports="$BI_TOOLS/reports"
mkdir -p "$reports"
failed=()
summary=()

step() { # step <name> <command...>
  local name=$1
  shift
  local s
  s=$(date +%s)
  echo "test: == $name"
  if "$@"; then
    summary+=("$name: ok ($(($(date +%s) - s))s)")
  else
    summary+=("$name: FAILED ($(($(date +%s) - s))s)")
    failed+=("$name")
  fi
}

layer() { # layer <unit|integration|e2e>
  local name=$1 report="$reports/$1.json" s
  rm -f "$report"
  s=$(date +%s)
  echo "test: == $name tests"
  # The layer's own package.json script (one definition of how it runs), plus CI reporting.
  npm run --silent "test:$name" -- --ci --json --outputFile "$report"
  local code=$?
  local counts
  counts=$(node -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log([r.numTotalTests, r.numPassedTests, r.numFailedTests, skipped, r.numFailedTestSuites + r.numRuntimeErrorTestSuites].join(" "));
  ' "$report" 2>/dev/null || echo "0 0 0 0 1")
  read -r total passed failedn skipped badsuites <<<"$counts"
  local verdict=ok
  if [ "$code" -ne 0 ] || [ "$failedn" -ne 0 ] || [ "$badsuites" -ne 0 ]; then verdict=FAILED; fi
  if [ "$total" -eq 0 ]; then verdict="FAILED (ran zero tests)"; fi
  if [ "$skipped" -ne 0 ]; then verdict="FAILED ($skipped skipped)"; fi
  summary+=("$name tests: $total run, $passed passed, $failedn failed, $skipped skipped: $verdict ($(($(date +%s) - s))s)")
  [ "$verdict" = ok ] || failed+=("$name")
}

step "work tree after bootstrap" unchanged_tree "after the bootstrap"
# Lint and typecheck are the package.json scripts, not restated here, so
# `npm run lint` / `npm run typecheck` and CI cannot disagree.
step lint npm run --silent lint
step typecheck npm run --silent typecheck
layer unit
layer integration
layer e2e

step "work tree after tests" unchanged_tree "after the tests"

echo
echo "test: summary"
for line in "${summary[@]}"; do echo "  $line"; done
echo "  total time: $(($(date +%s) - t0))s"
if [ "${#failed[@]}" -ne 0 ]; then
  echo "test: FAILED: ${failed[*]}"
  exit 1
fi
echo "test: all green"
