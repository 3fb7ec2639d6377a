#!/usr/bin/env bash
# Checks the training manifests a change touches, for CI jobs (GitHub Actions, GitLab CI).
#
# Environment:
#   PROVGATE     the provgate binary (default: provgate on PATH)
#   BASE_REF     the revision the change is compared with, e.g. origin/main; empty checks every
#                manifest matching MANIFESTS, without a baseline
#   MANIFESTS    extended regular expression for manifest paths (default: (^|/)manifest\.json$)
#   NEW_ONLY     true: fail only on findings the base revision did not have (default: false)
#   OUT_DIR      where reports go (default: provgate-out): sarif/, junit/, json/, summary.md
#   POLICY, PROFILE, WAIVERS   passed to provgate check as --policy, --profile, --waivers
#   LINK_BASE    URL prefix for links to lines in summary.md
#
# Prints GitHub annotations when GITHUB_ACTIONS is true. Exit status: 0 when every changed
# manifest passes, 1 when one fails, 2 or 3 when one cannot be checked.
set -uo pipefail

PROVGATE=${PROVGATE:-provgate}
MANIFESTS=${MANIFESTS:-'(^|/)manifest\.json$'}
OUT_DIR=${OUT_DIR:-provgate-out}
BASE_REF=${BASE_REF:-}
mkdir -p "$OUT_DIR/sarif" "$OUT_DIR/junit" "$OUT_DIR/json"
: > "$OUT_DIR/summary.md"

if [ -n "$BASE_REF" ]; then
  changed=$(git diff --name-only --diff-filter=ACMR "$BASE_REF"...HEAD | grep -E "$MANIFESTS" || true)
else
  changed=$(git ls-files | grep -E "$MANIFESTS" || true)
fi
if [ -z "$changed" ]; then
  echo "provgate: no manifest changed"
  echo "provgate: no training manifest changed." >> "$OUT_DIR/summary.md"
  exit 0
fi

common=()
[ -n "${POLICY:-}" ] && common+=(--policy "$POLICY")
[ -n "${PROFILE:-}" ] && common+=(--profile "$PROFILE")
[ -n "${WAIVERS:-}" ] && common+=(--waivers "$WAIVERS")

status=0
while IFS= read -r manifest; do
  name=$(echo "$manifest" | tr '/' '_')
  args=("${common[@]}")
  # Compare with the base revision when the manifest existed there.
  if [ -n "$BASE_REF" ] && git cat-file -e "$BASE_REF:$manifest" 2>/dev/null; then
    args+=(--baseline "git:$BASE_REF:$manifest")
    [ "${NEW_ONLY:-false}" = "true" ] && args+=(--new-only)
  fi
  "$PROVGATE" check "$manifest" "${args[@]}" --format json --output "$OUT_DIR/json/$name.json"
  code=$?
  if [ "$code" -ge 2 ]; then
    echo "provgate: $manifest cannot be checked (exit $code)" >&2
    echo "**provgate: \`$manifest\` cannot be checked (exit $code); see the job log.**" >> "$OUT_DIR/summary.md"
    [ "$code" -gt "$status" ] && status=$code
    continue
  fi
  "$PROVGATE" check "$manifest" "${args[@]}" --format sarif --output "$OUT_DIR/sarif/$name.sarif"
  "$PROVGATE" check "$manifest" "${args[@]}" --format junit --output "$OUT_DIR/junit/$name.xml"
  "$PROVGATE" check "$manifest" "${args[@]}" --format markdown ${LINK_BASE:+--link-base "$LINK_BASE"} \
    >> "$OUT_DIR/summary.md"
  echo >> "$OUT_DIR/summary.md"
  if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
    "$PROVGATE" check "$manifest" "${args[@]}" --format github
  else
    "$PROVGATE" check "$manifest" "${args[@]}" --format text
  fi
  [ "$code" -gt "$status" ] && status=$code
  echo "provgate: $manifest: exit $code"
done <<< "$changed"
exit "$status"
