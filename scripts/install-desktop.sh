#!/usr/bin/env bash
# Installs PolicyWatch's desktop entry for the current user, so that the app
# appears in the desktop's menu and policywatch://change/ID links (in e-mail
# and chat alerts) open the change in the app.
#
#   scripts/install-desktop.sh [PATH/TO/policywatch]    (default: the one on PATH)
#
# It writes $XDG_DATA_HOME/applications/policywatch.desktop (Exec= the
# binary's absolute path) and the icon, then registers the URL scheme with
# xdg-mime when it is installed (Debian: xdg-utils).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$(command -v policywatch || true)}"
if [[ -z "$bin" || ! -x "$bin" ]]; then
  echo "install-desktop: give the path of the policywatch binary (make build writes ./policywatch)" >&2
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor/512x512/apps"
mkdir -p "$apps" "$icons"
# Exec needs the absolute path: the desktop does not search the user's PATH.
sed "s|^Exec=policywatch %u$|Exec=\"$bin\" %u|" "$here/resources/linux/policywatch.desktop" > "$apps/policywatch.desktop.tmp"
mv "$apps/policywatch.desktop.tmp" "$apps/policywatch.desktop"
cp "$here/resources/icon.png" "$icons/policywatch.png"
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database "$apps" || true
fi
if command -v xdg-mime >/dev/null 2>&1; then
  xdg-mime default policywatch.desktop x-scheme-handler/policywatch
  echo "install-desktop: policywatch:// links now open $bin"
else
  echo "install-desktop: installed $apps/policywatch.desktop; install xdg-utils and run" \
    "'xdg-mime default policywatch.desktop x-scheme-handler/policywatch' to register policywatch:// links"
fi
