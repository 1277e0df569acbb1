#!/usr/bin/env bash
# Render a steward HTML report in headless Chromium and save a screenshot, to check the
# layout by eye. Not part of CI (Chromium is optional): `apt-get install -y chromium`.
#
#   scripts/render-report.sh report.html [screenshot.png]
#   scripts/render-report.sh --zh      # the zh-CN report of fixtures/people, PNG and PDF
#
# With no argument it builds the fixture report first (target/report.html).
set -euo pipefail

html="${1:-}"
pdf=""
if [[ "$html" == "--zh" ]]; then
  # The zh-CN report of the people fixture (needs a CJK font: fonts-noto-cjk).
  html="target/report-zh.html"
  pdf="target/report-zh.pdf"
  cargo run --quiet -- report fixtures/people/crm.csv fixtures/people/orders.csv \
    fixtures/people/members.csv --rules fixtures/people --regime pipl --lang zh-CN \
    --as-of 2026-11-01 --no-audit --format html --output "$html" || [[ $? -eq 1 ]]
  shift
  set -- "$html" "$@"
fi
if [[ -z "$html" ]]; then
  html="target/report.html"
  cargo run --quiet -- report fixtures/customers.csv \
    --rules rules/customer-core.yaml --rules fixtures/compliance/customers-compliance.yaml \
    --regime pipl --regime gdpr --as-of 2026-11-01 --no-audit \
    --format html --output "$html" || [[ $? -eq 1 ]]
fi
png="${2:-${html%.html}.png}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
  echo "error: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run \
  --user-data-dir="$profile" --screenshot="$(realpath -m "$png")" --window-size=1280,2000 \
  "file://$(realpath "$html")" 2>/dev/null
echo "$png"
if [[ -n "$pdf" ]]; then
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" \
    --no-pdf-header-footer --print-to-pdf="$(realpath -m "$pdf")" "file://$(realpath "$html")" 2>/dev/null
  echo "$pdf"
fi
