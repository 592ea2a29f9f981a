#!/bin/sh
# System parts pip cannot install, checked on every `make` and installed when possible:
# Python's venv module, Pango (WeasyPrint's text layout, with libthai for Thai line breaking), a Thai
# font for the browser and poppler-utils for the PDF tests.
# WITH_BROWSER=1 adds Chromium for the real-browser tests (.ci/run sets it; Playwright cannot
# download its own browser here, so it drives the Debian package through executable_path).
# WITH_LIBREOFFICE=1 (.ci/run sets it) adds LibreOffice Writer, which tests/reports/test_word.py
# uses to open the Word export; it is large, so a laptop opts in.
#
# Debian/Ubuntu: packages are looked up with dpkg-query and installed with apt-get (as root, or
# through sudo when it needs no password); otherwise the exact command is printed and `make` goes on.
# macOS: the Homebrew names are printed. Elsewhere: what is needed, by its upstream name.
# Nothing missing means nothing printed.
set -u
PYTHON="${PYTHON:-python3}"
missing=""
need() { missing="$missing $1"; }

has_command() { command -v "$1" >/dev/null 2>&1; }
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

case "$(uname -s 2>/dev/null)" in
Darwin)
  formulae=""
  casks=""
  has_command brew || { echo "Homebrew not found: install it from https://brew.sh, then run make again." >&2; exit 0; }
  brew list pango >/dev/null 2>&1 || formulae="$formulae pango"
  has_command pdftotext || formulae="$formulae poppler"
  if [ "${WITH_BROWSER:-0}" = "1" ] && [ -z "${CHROMIUM_PATH:-}" ]; then has_command chromium || casks="$casks chromium"; fi
  if [ "${WITH_LIBREOFFICE:-0}" = "1" ]; then has_command soffice || casks="$casks libreoffice"; fi
  # macOS ships Thai fonts (Thonburi, Ayuthaya): no font package is needed.
  [ -z "$formulae$casks" ] && exit 0
  echo "Please install with Homebrew:" >&2
  [ -n "$formulae" ] && echo "  brew install$formulae" >&2
  [ -n "$casks" ] && echo "  brew install --cask$casks" >&2
  echo "The app runs without them, but PDFs need Pango." >&2
  exit 0
  ;;
esac

if has_command dpkg-query; then
  # Debian and Ubuntu split venv (and ensurepip) out of python3 itself.
  "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || need python3-venv
  deb_installed libpango-1.0-0 || need libpango-1.0-0
  deb_installed libpangoft2-1.0-0 || need libpangoft2-1.0-0
  deb_installed libthai0 || need libthai0
  fc-list :lang=th 2>/dev/null | grep -q . || need fonts-thai-tlwg
  has_command pdftotext || need poppler-utils
  if [ "${WITH_BROWSER:-0}" = "1" ] && [ -z "${CHROMIUM_PATH:-}" ]; then has_command chromium || need chromium; fi
  if [ "${WITH_LIBREOFFICE:-0}" = "1" ]; then has_command soffice || need libreoffice-writer-nogui; fi
  [ -z "$missing" ] && exit 0
  if [ "$(id -u)" = "0" ]; then
    echo "Installing system packages:$missing"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
    echo "apt-get could not install:$missing" >&2
  elif has_command sudo && sudo -n true >/dev/null 2>&1; then
    echo "Installing system packages with sudo:$missing"
    sudo apt-get update -qq >/dev/null && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null && exit 0
    echo "sudo apt-get could not install:$missing" >&2
  fi
  echo "Please install these system packages (as root, or ask your administrator):" >&2
  echo "  apt-get install$missing" >&2
  echo "The app runs without Pango (no PDFs); make stops below if the venv module is missing." >&2
  exit 0
fi

# Another system: say what is needed by its upstream name.
"$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || need "Python's venv module"
ldconfig_cmd=$(command -v ldconfig || ls /sbin/ldconfig /usr/sbin/ldconfig 2>/dev/null | head -n 1)
if [ -n "$ldconfig_cmd" ]; then
  "$ldconfig_cmd" -p 2>/dev/null | grep -q 'libpango-1.0.so' || need "Pango (1.44 or newer)"
  "$ldconfig_cmd" -p 2>/dev/null | grep -q 'libthai.so' || need libthai
fi
fc-list :lang=th 2>/dev/null | grep -q . || need "a Thai font (e.g. TLWG fonts)"
has_command pdftotext || need poppler-utils
[ -z "$missing" ] && exit 0
echo "Please install with your system's package manager:$missing" >&2
echo "The app runs without them, but PDFs need Pango." >&2
exit 0
