#!/usr/bin/env bash
# Set up booklet on a Debian machine, then optionally build or test.
#
#   ./setup.sh          install system packages and the Python environment
#   ./setup.sh build    ... then build every output into build/
#   ./setup.sh test     ... then run the test suite
#
# Safe to run again: installed pieces are skipped.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the pipeline needs at run time and in the tests:
#   Pango/HarfBuzz for WeasyPrint's text layout, libharfbuzz-subset0 for fast,
#   reproducible font subsetting, Noto fonts for every script the theme's
#   fonts.yaml names (fonts-noto-cjk: Chinese, Japanese and Korean),
#   ICU (built into PyICU) to find word breaks in Lao, Khmer and Burmese,
#   Poppler, qpdf and Ghostscript as independent PDF readers in the tests,
#   FOGRA39 characterisation data (zlib licence) and ArgyllCMS to build the
#   print edition's CMYK output profile,
#   gettext for msgfmt -c, which checks the PO files booklet exports,
#   Chromium for the test that drives `booklet serve` in a real browser (through
#   the playwright package, which uses this browser instead of downloading its own).
DEBIAN_PACKAGES=(
  python3 python3-venv python3-dev g++ pkg-config libicu-dev
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
  fonts-noto-core fonts-noto-cjk fontconfig
  poppler-utils qpdf ghostscript gettext
  icc-profiles-free argyll
  chromium
)

install_system_packages() {
  local missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "setup: installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fc-cache -f >/dev/null 2>&1 || true
}

install_python_environment() {
  if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    python3 -m venv .venv
  fi
  # Reinstall only when the project's requirements changed.
  local stamp=.venv/.booklet-installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing Python packages"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    touch "$stamp"
  fi
}

# The print edition's output intent: a FOGRA39 (ISO coated v2) profile, built
# from freely licensed characterisation data. About 20 seconds, once.
build_cmyk_profile() {
  # Into the package's default theme, where every project finds it (a project can
  # still give its own as styles/icc/FOGRA39L.icc).
  local profile=booklet/theme/styles/icc/FOGRA39L.icc
  [ -f "$profile" ] && return
  echo "setup: building the FOGRA39 CMYK profile"
  local work
  work=$(mktemp -d)
  cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
  (cd "$work" && colprof -qm -bn -kr -A "booklet" -M "FOGRA39" \
      -D "Coated FOGRA39 (ISO 12647-2:2004), from the FOGRA39L characterisation data" \
      -C "Characterisation data FOGRA (zlib licence); profile built with ArgyllCMS" \
      -O FOGRA39L.icc FOGRA39L >/dev/null)
  mkdir -p "$(dirname "$profile")"
  mv "$work/FOGRA39L.icc" "$profile"
  rm -rf "$work"
}

install_system_packages
install_python_environment
build_cmyk_profile

case "${1:-}" in
  "") echo "setup: done. Build with: .venv/bin/booklet build" ;;
  build) shift; exec .venv/bin/booklet build "$@" ;;
  test) shift; exec .venv/bin/python -m pytest "$@" ;;
  *) echo "usage: $0 [build|test] [arguments...]" >&2; exit 2 ;;
esac
