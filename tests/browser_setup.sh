#!/bin/sh
# Makes sure Debian's chromium is there for the Playwright browser tests (tests/test_dashboard_browser.py).
# `make test` runs this before pytest. On a fresh CI machine (root, apt) it installs chromium once; when it is
# already installed it returns at once. It never fails the build: without apt, root or sudo it says why and
# the browser tests skip with the same reason. Playwright's own browser download is never used.
set -u

CHROMIUM="${HOCBOT_CHROMIUM:-/usr/bin/chromium}"
PACKAGES="chromium fonts-dejavu-core fonts-liberation fonts-noto-color-emoji"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
skip() {
    echo "browser_setup: $1; the browser tests will be skipped (they need $CHROMIUM)." >&2
    exit 0
}
command -v apt-get >/dev/null 2>&1 || skip "apt-get is not available"
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    skip "not root and no password-less sudo, cannot install chromium"
fi

echo "browser_setup: installing Debian's chromium for the browser tests (once)..." >&2
LOG="$(mktemp)"
if $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$LOG" 2>&1 \
    && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        $PACKAGES >>"$LOG" 2>&1; then
    rm -f "$LOG"
    [ -x "$CHROMIUM" ] || skip "apt-get installed chromium but $CHROMIUM is missing"
    echo "browser_setup: chromium installed: $("$CHROMIUM" --version 2>/dev/null)" >&2
else
    tail -n 15 "$LOG" >&2
    rm -f "$LOG"
    skip "apt-get could not install chromium (see above)"
fi
