#!/usr/bin/env bash
# Install Debian's Chromium for the HTML report tests, without prompts.
#
# tests/test_render_browser.py opens the HTML outputs in headless Chromium through
# Playwright, driving the browser found on PATH as `chromium`; Playwright never downloads
# one. Run with QAFRAMEWORK_REQUIRE_BROWSER=1 so that a missing browser fails those tests
# instead of skipping them.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium.sh: Chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi

run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
    run_as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update
"${run_as_root[@]}" apt-get install -y --no-install-recommends chromium
[ -x /usr/bin/chromium ] || {
    echo "chromium.sh: the chromium package installed no /usr/bin/chromium" >&2
    exit 1
}
echo "chromium.sh: installed $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
