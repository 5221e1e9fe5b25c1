#!/usr/bin/env bash
# Installs the system packages PolicyWatch needs to build (cgo for SQLite and
# Fyne's GL driver) when any is missing. Uses apt-get as root or through sudo;
# otherwise says exactly what to install and fails.
set -euo pipefail

packages=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev)
# Headless Chromium renders documents whose text needs the page's scripts
# (render mode auto or browser); the tests render real pages with it.
packages+=(chromium)
# Extra tools the tests and screenshots use: pdftotext/pdftoppm to read PDFs back;
# the PostgreSQL server, which the team store's tests start as a throwaway cluster.
if [[ "${1:-}" == "--test" ]]; then
  packages+=(poppler-utils postgresql)
fi
if [[ "${1:-}" == "--screenshots" ]]; then
  packages+=(poppler-utils)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: missing ${missing[*]} and apt-get is not available; install them with your package manager" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "install-deps: missing ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
