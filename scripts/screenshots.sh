#!/usr/bin/env bash
# Captures docs/screenshots/<screen>.png for every main screen of the desktop
# app: builds policywatch, imports the shared Open Terms Archive corpus into a
# temporary archive, then runs the app under Xvfb at 1280×800 once per screen
# (POLICYWATCH_START_TAB picks the tab) and grabs the root window.
#
# The app runs in its own session (setsid): something in this environment
# sends SIGINT to the process group, which quits a Fyne app at once.
#
# Needs: xvfb-run and ImageMagick's import (apt-get install xvfb imagemagick),
# and the GL/X11 headers Fyne builds against.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in xvfb-run import; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install xvfb imagemagick)" >&2; exit 1; }
done
corpus=${CORPUS:-../shared/corpus/dataset}
out=docs/screenshots
bin=/tmp/pw
wait_s=${WAIT:-7}

go build -tags migrated_fynedo -o "$bin" ./cmd/policywatch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data LANG=en_US.UTF-8
db=$work/screens.db
"$bin" --db "$db" profile set --organisation "Northwind Health Ltd" --jurisdictions EU,UK,US-CA,US --health --advertises >/dev/null
"$bin" --db "$db" import-ota "$corpus"
mkdir -p "$out"

# shoot NAME TAB [DB]: open the app on TAB and capture it as NAME.png,
# retrying once when the capture comes out empty (a busy machine).
shoot() {
	local name=$1 tab=$2 target=${3:-$db} try
	for try in 1 2; do
		timeout 90 xvfb-run -a -s "-screen 0 1280x800x24" bash -c "
			POLICYWATCH_START_TAB='$tab' setsid '$bin' --db '$target' 2>>'$work/gui.log' &
			pid=\$!
			sleep $wait_s
			timeout 30 import -window root '$out/$name.png'
			kill \$pid 2>/dev/null
			for i in 1 2 3 4 5; do kill -0 \$pid 2>/dev/null || break; sleep 1; done
			kill -9 \$pid 2>/dev/null || true" || true
		if [ "$(stat -c %s "$out/$name.png" 2>/dev/null || echo 0)" -gt 20000 ]; then
			echo "$out/$name.png"
			return
		fi
	done
	echo "screenshots: could not capture $name" >&2
	return 1
}

shoot dashboard dashboard
shoot platforms platforms:first
shoot changes changes:first
shoot changes-diff changes:diff
shoot checklist checklist
shoot reports reports
shoot settings settings
shoot onboarding onboarding "$work/empty.db"

# The add-document form previewing a page served locally (needs python3).
if command -v python3 >/dev/null; then
	mkdir -p "$work/site"
	cat >"$work/site/privacy.html" <<'HTML'
<!doctype html><html><head><title>Example Corp Privacy Notice</title></head><body>
<nav>Home · Products · Careers · Sign in</nav>
<main><h1>Privacy Notice</h1><p>Last updated: 1 March 2026</p>
<h2>What we collect</h2><p>We collect the information you give us when you create an account, such as your name, email address and billing details, and information about how you use our services, including device identifiers and approximate location.</p>
<h2>How we use it</h2><ul><li>To provide, secure and improve the services.</li><li>To personalise content and, where you agree, advertising.</li><li>To train and improve our machine learning models, unless you opt out in your settings.</li></ul>
<h2>Sharing</h2><p>We share personal information with service providers that process it on our behalf, with advertising partners where the law allows, and with authorities when we are legally required to.</p>
<h2>Your rights</h2><p>You can access, correct, export or delete your personal information at any time from your account settings, and object to processing based on our legitimate interests.</p>
<h2>Retention</h2><p>We keep personal information for as long as your account is open and for up to 24 months afterwards.</p></main>
<footer>© 2026 Example Corp · Cookie settings · Contact</footer></body></html>
HTML
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
	server=$!
	sleep 1
	shoot add-document "platforms:add=http://127.0.0.1:$port/privacy.html"
	kill "$server"
fi

# The light theme, as chosen in Settings (a UI preference of the app).
prefs=$work/light/fyne/app.policywatch.desktop
mkdir -p "$prefs"
echo '{"theme":"light"}' >"$prefs/preferences.json"
XDG_CONFIG_HOME=$work/light shoot dashboard-light dashboard
