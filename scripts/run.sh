#!/usr/bin/env bash
# Serves Bellwether for a try-out: the web server and a background worker together.
set -euo pipefail
host=${1:-127.0.0.1}; port=${2:-8000}
bin=.venv/bin
$bin/bellwether worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
$bin/bellwether sign_in_help
echo "Serving on http://$host:$port/ (Ctrl-C stops the server and the worker)"
$bin/bellwether runserver "$host:$port" --noreload
