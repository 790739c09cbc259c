#!/usr/bin/env bash
# One-command setup for a fresh Debian machine: system packages (when root), then npm packages.
# Safe to run again: apt-get and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  libgphoto2-dev   # the DSLR camera binding builds against it
  gphoto2          # the gphoto2 CLI: the virtual DSLR's tests check it as a real tool would
  gcc              # builds the virtual DSLR (libgphoto2's vusb driver, scripts/build-vcamera.sh)
  dpkg-dev         # dpkg-source unpacks Debian's libgphoto2 source for it
  patch            # applies test/tooling/vcamera/vcamera.patch to that source
  pkg-config       # the flags of libgphoto2_port and libexif for that build
  libexif-dev      # the virtual camera reads the portraits' EXIF
  g++ make         # node-gyp builds the gphoto2 addon (npm gphoto2)
  socat            # pty pairs for real serial tests (ccTalk payment devices)
  cups-ipp-utils   # ippeveprinter: a real IPP printer on localhost for printing tests
  dbus avahi-daemon # ippeveprinter on Debian 12 will not start without them
  chromium         # the browser kiosk shell and end-to-end tests
  xvfb             # a display for the browser and Electron shells on headless machines
  fonts-dejavu-core # the print sheet's footer text (rendered by librsvg through fontconfig); Arabic on screen
  fonts-wqy-microhei # Simplified Chinese on the kiosk screen (small, 1.6 MB)
  prometheus       # fleet metrics: a test lets the real server scrape a running booth
  mosquitto        # fleet presence and alerts: a test runs the real MQTT broker on 127.0.0.1
  python3          # the systemd notify test's datagram listener (Node cannot open a unix datagram socket)
)

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: Debian packages already installed"
  fi
else
  echo "setup: not root (or no apt-get): skipping Debian packages. As root, install: ${debian_packages[*]}"
fi

# The virtual DSLR for the camera tests, from Debian's libgphoto2 source (test/tooling/vcamera/).
# Only the tests need it: without it (not root, no source archive) the booth still sets up, and
# the camera tests say it is missing.
bash scripts/build-vcamera.sh || echo "setup: the virtual DSLR was not built (see above); the gphoto2 camera tests need it"

echo "setup: installing npm packages"
# electron and @tensorflow/tfjs-node are optional: their binaries cannot always be downloaded,
# and the kiosk runs without them (browser shell, wasm backend).
npm install --no-audit --no-fund

echo "setup: building the kiosk screen (dist/renderer)"
npm run build --silent

echo "setup: done. Next: npm start (demo kiosk) or npm test"
