#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; PDF tests read text back with pdftotext (poppler-utils).
# Install what is missing (with a Japanese font) when apt-get is allowed; else say what is skipped.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-noto-cjk)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Not installed and apt-get is not available: ${missing[*]}: their tests will be skipped"
  exit 1
fi
echo "Installing ${missing[*]} with apt-get"
apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
  || { echo "apt-get install ${missing[*]} failed: their tests will be skipped"; exit 1; }
