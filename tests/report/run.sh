#!/usr/bin/env bash
# report.html in a real browser: a small real sweep, then headless Chromium loads its report.html and
#  - the page logs nothing to the console (no error, no uncaught exception, no failed load),
#  - a screenshot is not blank (many colours, non-white pixels),
#  - the DOM after the page's script ran holds summary.csv in its summary table, cell by cell;
#  - the summary table leads with η, λ1's mean and interval, the median steps to the threshold and the
#    fractions reached and diverged, and the browser shows only those until the toggle is clicked;
# and 'gdchaos report' rebuilds the page of the same folder cut short (a killed sweep) and says so.
# The checks are first run on pages that must fail them, so a checker that cannot fail is caught.
# Needs Debian's chromium: skipped without it, except under CI=true where a missing chromium fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

browser=""
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "report test: chromium is not installed (CI installs it: apt-get install chromium)" >&2
    exit 1
  fi
  echo "report test: SKIPPED: chromium is not installed (apt-get install chromium)"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { java "$root/tests/report/ReportCheck.java" "$@"; }
chrome() { # chrome OUT_PREFIX URL: DOM to OUT.dom, stderr (console) to OUT.log, screenshot to OUT.png
  local out=$1 url=$2
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "$url" >"$out.dom" 2>"$out.log"
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --hide-scrollbars --window-size=1280,1800 --screenshot="$out.png" "$url" >/dev/null 2>&1
}

echo "== report test: the checks fail where they must"
cat >"$work/bad.html" <<'HTML'
<!DOCTYPE html><html><body><table id="table-summary"><thead><tr><th>lr</th></tr></thead><tbody>
<tr><td data-v="1">2</td></tr></tbody></table><script>console.error("x"); missing();</script></body></html>
HTML
printf 'lr\n1\n' >"$work/bad.csv"
chrome "$work/bad" "file://$work/bad.html"
lead=lr,lambda_1_mean,lambda_1_ci_low,lambda_1_ci_high,steps_to_threshold_median,reached_fraction,diverged_fraction
for c in "console $work/bad.log" "dom $work/bad.dom $work/bad.csv" "lead $work/bad.dom $lead" "screenshot $work/bad.png"; do
  # shellcheck disable=SC2086
  if check $c >/dev/null 2>&1; then echo "report test: the '${c%% *}' check passed a bad page" >&2; exit 1; fi
done

echo "== report test: a small sweep"
./gdchaos sweep --preset quick --lr 0.5,5,20 --inits 2 --steps 40 --out "$work/out" --quiet >/dev/null
test -s "$work/out/report.html"
chrome "$work/page" "file://$work/out/report.html"
check console "$work/page.log"
check dom "$work/page.dom" "$work/out/summary.csv"
check lead "$work/page.dom" "$lead"
check screenshot "$work/page.png"

echo "== report test: gdchaos report on the same sweep cut short"
mkdir "$work/cut"
cp "$work/out/run.json" "$work/out/curves.csv" "$work/cut/"
head -n 4 "$work/out/results.csv" >"$work/cut/results.csv"     # header + 3 of 6 cells
sha_before=$(sha256sum "$work/cut/results.csv" "$work/cut/curves.csv")
./gdchaos report "$work/cut" >"$work/cut.out" 2>"$work/cut.err"
test "$sha_before" = "$(sha256sum "$work/cut/results.csv" "$work/cut/curves.csv")" \
  || { echo "report test: gdchaos report changed results.csv or curves.csv" >&2; exit 1; }
grep -q "3 of 6 cells" "$work/cut.err" || { echo "report test: no partial note on stderr" >&2; cat "$work/cut.err" >&2; exit 1; }
chrome "$work/cut" "file://$work/cut/report.html"
check console "$work/cut.log"
check dom "$work/cut.dom" "$work/cut/summary.csv"
grep -q 'Partial results' "$work/cut.dom" || { echo "report test: the page of a partial folder does not say so" >&2; exit 1; }

echo "== report test: a folder that is not a gdchaos output is refused with exit code 3"
mkdir "$work/empty"
set +e
./gdchaos report "$work/empty" >/dev/null 2>"$work/empty.err"
rc=$?
set -e
[ "$rc" = 3 ] || { echo "report test: exit code $rc for a folder without run.json, expected 3" >&2; exit 1; }
echo "report test: OK"
