#!/bin/sh
# Install the named Debian packages that are missing, when this machine can (root, or
# sudo without a password); otherwise say what to install and fail.
# Usage: ensure_debian_packages.sh PACKAGE...
set -e
missing=""
for package in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    exit 0  # not Debian: scripts/check_system.py says what is missing, if anything
fi
echo "Installing Debian packages:$missing" >&2
if [ "$(id -u)" = "0" ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "HireLadder needs these Debian packages: sudo apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq $missing >/dev/null
