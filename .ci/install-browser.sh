#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser test (tests/flows/test_dashboard.py).
# Playwright drives /usr/bin/chromium: it cannot download a browser of its own here.
# Idempotent: does nothing when Chromium is already installed.
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "browser: $(/usr/bin/chromium --version 2>/dev/null) (already installed)"
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver; } >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "install-browser: apt-get could not install chromium" >&2
    exit 1
fi
echo "browser: $(/usr/bin/chromium --version 2>/dev/null) (installed)"
