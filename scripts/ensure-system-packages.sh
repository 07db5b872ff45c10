#!/usr/bin/env bash
# Installs the Debian packages Bellwether needs that pip cannot provide, when missing.
set -euo pipefail
need=()
command -v python3.11 >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 || need+=(python3 python3-venv)
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1 && ! command -v python3.11 >/dev/null 2>&1; then
  need+=(python3-venv)
fi
# WeasyPrint (PDF reports) renders through Pango.
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so'; then
  need+=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
fi
# The tests render PDF reports to PNG pages (pdftoppm) to check and keep them.
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# The tests of the Redis queue start a redis-server when none answers on 6379.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The SAML tests run a pysaml2 identity provider, which signs with the xmlsec1 command;
# python3-saml's xmlsec binding builds against libxmlsec1 when no wheel fits.
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
[ -f /usr/include/xmlsec1/xmlsec/xmlsec.h ] || need+=(libxmlsec1-dev pkg-config)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}" >&2
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
