#!/bin/sh
# System libraries pip cannot install: Pango (WeasyPrint's text layout, with libthai for Thai
# line breaking) and a Thai font for the browser. Installs them with apt-get when missing.
# WITH_BROWSER=1 adds Chromium for the real-browser tests (.ci/run sets it; Playwright cannot
# download its own browser here, so it drives the Debian package through executable_path).
set -u
missing=""
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
ldconfig -p 2>/dev/null | grep -q 'libthai.so' || missing="$missing libthai0"
fc-list :lang=th 2>/dev/null | grep -q . || missing="$missing fonts-thai-tlwg"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
if [ "${WITH_BROWSER:-0}" = "1" ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fi
# WITH_LIBREOFFICE=1 (.ci/run sets it) adds LibreOffice Writer, which tests/reports/test_word.py
# uses to open the Word export; it is large, so a laptop opts in.
if [ "${WITH_LIBREOFFICE:-0}" = "1" ]; then
  command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
fi
[ -z "$missing" ] && exit 0
echo "Installing system packages:$missing"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
  echo "apt-get could not install:$missing" >&2
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
fi
echo "Please install these system packages yourself:$missing" >&2
echo "(Debian/Ubuntu: apt-get install$missing). The app runs without them, but PDFs need Pango." >&2
exit 0
