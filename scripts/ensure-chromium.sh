#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; install it with apt when it is missing.
# (Never `playwright install`: it downloads a browser build we do not use.)
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "Installing Chromium for the browser tests (apt)..." >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
