#!/bin/sh
# The browser tests drive Debian's Chromium through Playwright (no browser download).
set -e
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
sh "$(dirname "$0")/ensure_debian_packages.sh" chromium || {
    echo "(or 'make test-fast' to run everything but the browser tests)." >&2
    exit 1
}
/usr/bin/chromium --version >&2
