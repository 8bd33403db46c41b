#!/usr/bin/env bash
# Browser tests drive Debian's Chromium. Install it (and a Japanese font) when missing and allowed.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium: not installed and apt-get is not available: browser tests will be skipped"
  exit 1
fi
echo "Chromium: installing Debian's chromium and fonts-noto-cjk with apt-get"
apt-get update -qq >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 \
  || { echo "Chromium: apt-get install failed: browser tests will be skipped"; exit 1; }
