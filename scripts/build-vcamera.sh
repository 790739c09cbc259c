#!/usr/bin/env bash
# Builds the virtual DSLR for the camera tests: libgphoto2's own virtual camera (the vusb port
# driver, a PTP Nikon D750) from Debian's libgphoto2 source, with our patch
# (test/tooling/vcamera/vcamera.patch), against the installed libgphoto2_port.
# Result: build/vcamera/iolibs/vusb.so; IOLIBS=build/vcamera/iolibs makes it libgphoto2's only
# port driver (test/tooling/vcamera/README.md). Safe to run again: does nothing when vusb.so is
# newer than the patch, config.h and this script, and keeps the downloaded source.
# Needs: gcc, patch, dpkg-source (dpkg-dev), pkg-config, libgphoto2-dev, libexif-dev; as root it
# adds the deb-src entry apt needs for the source, when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."

tooling=test/tooling/vcamera
patch_file=$tooling/vcamera.patch
config_h=$tooling/config.h
out=build/vcamera
src=$out/src
so=$out/iolibs/vusb.so

say() { echo "vcamera: $*"; }
die() {
  echo "vcamera: ERROR: $*" >&2
  exit 1
}

if [ -f "$so" ] && [ "$so" -nt "$patch_file" ] && [ "$so" -nt "$config_h" ] && [ "$so" -nt "$0" ]; then
  say "up to date: $so"
  exit 0
fi

for tool in gcc patch dpkg-source pkg-config apt-get; do
  command -v "$tool" >/dev/null || die "$tool is missing (as root: npm run setup, or apt-get install gcc patch dpkg-dev pkg-config)"
done
pkg-config --exists libgphoto2_port libexif ||
  die "libgphoto2_port or libexif development files are missing (as root: apt-get install libgphoto2-dev libexif-dev)"

# The source must be the installed library's own version.
version=$(dpkg-query -W -f='${Version}' libgphoto2-dev 2>/dev/null) || true
[ -n "$version" ] || die "libgphoto2-dev is not installed (as root: apt-get install libgphoto2-dev)"
say "installed libgphoto2-dev $version"

if [ -f "$src/libgphoto2_port/vusb/vcamera.c" ] && [ "$(cat "$out/src.version" 2>/dev/null)" = "$version" ]; then
  say "source libgphoto2 $version already in $src"
else
  has_deb_src() { # in the files apt reads
    grep -hsqE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list \
      /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
  }
  if ! has_deb_src; then
    [ "$(id -u)" -eq 0 ] || die "apt has no deb-src entry for Debian's sources; run this as root once (or npm run setup as root)"
    # The release and mirror of the configured main archive (deb822 .sources or one-line lists).
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    [ -n "$codename" ] || die "cannot tell the Debian release from /etc/os-release"
    mirror=$(awk -v suite="$codename" '
      /^Types:/ { deb = ($0 ~ /[[:space:]]deb([[:space:]]|$)/) }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if (deb && $i == suite) { print uri; exit } }
      /^deb[[:space:]]/ { for (i = 3; i <= NF; i++) if ($i == suite) { print ($2 ~ /^\[/ ? $3 : $2); exit } }
    ' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)
    [ -n "$mirror" ] || die "no deb entry for $codename in /etc/apt/sources.list{,.d} to take the mirror from"
    say "adding deb-src $mirror $codename main (/etc/apt/sources.list.d/debian-src.sources)"
    cat >/etc/apt/sources.list.d/debian-src.sources <<EOF
Types: deb-src
URIs: $mirror
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    say "apt-get update"
    apt-get update -qq || die "apt-get update failed"
  fi

  rm -rf "$out/download" && mkdir -p "$out/download"
  say "downloading the source of libgphoto2 $version"
  fetch() { (cd "$out/download" && apt-get source --download-only -qq "libgphoto2=$version" >/dev/null 2>&1); }
  if ! fetch; then
    # a deb-src entry whose package lists were never fetched
    if [ "$(id -u)" -eq 0 ]; then
      say "apt-get update (no source index yet)"
      apt-get update -qq || die "apt-get update failed"
      fetch || die "apt-get source libgphoto2=$version failed (is that version in the deb-src archive?)"
    else
      die "apt-get source libgphoto2=$version failed; as root, run apt-get update (or this script) once"
    fi
  fi
  dsc=$(ls "$out"/download/libgphoto2_*.dsc 2>/dev/null | head -n 1 || true)
  [ -n "$dsc" ] || die "no libgphoto2 .dsc was downloaded"
  say "unpacking $(basename "$dsc") into $src"
  rm -rf "$src" "$out/src.version"
  log=$(dpkg-source -x "$dsc" "$src" 2>&1) || die "dpkg-source -x $dsc failed: $log"
  [ -f "$src/libgphoto2_port/vusb/vcamera.c" ] || die "the source has no libgphoto2_port/vusb/vcamera.c"
  echo "$version" >"$out/src.version"
  rm -rf "$out/download" "$out"/libgphoto2_*.orig.tar.* # dpkg-source leaves a copy beside src
fi

# The patch goes on a fresh copy of the driver, so the source stays as Debian ships it.
work=$out/work
say "applying $patch_file"
rm -rf "$work" && mkdir -p "$work/libgphoto2_port"
cp -r "$src/libgphoto2_port/vusb" "$work/libgphoto2_port/"
cp "$config_h" "$work/config.h"
(cd "$work" && patch -p1 --batch --forward --quiet) <"$patch_file" || die "the patch does not apply to libgphoto2 $version"

say "compiling $so"
mkdir -p "$out/iolibs"
# Installed headers first; the two that Debian does not install (gphoto2-port-library.h and
# the internal i18n.h) come from the source.
# shellcheck disable=SC2046 # pkg-config prints several words on purpose
gcc -shared -fPIC -O2 -Wall -Wno-format-overflow -Wl,-z,defs -D_GPHOTO2_INTERNAL_CODE \
  -I "$work" -idirafter "$src/libgphoto2_port" $(pkg-config --cflags libgphoto2_port libexif) \
  "$work/libgphoto2_port/vusb/vusb.c" "$work/libgphoto2_port/vusb/vcamera.c" \
  -o "$so.tmp" $(pkg-config --libs libgphoto2_port libexif) || die "gcc failed"
mv -f "$so.tmp" "$so"

if command -v gphoto2 >/dev/null; then
  detected=$(HOME="$PWD/$work" IOLIBS="$PWD/$out/iolibs" VCAMERA_DIR="$PWD/$work" gphoto2 --auto-detect 2>&1 | grep -c 'usb:001,001' || true)
  [ "$detected" -ge 1 ] || die "gphoto2 --auto-detect does not see the virtual camera with IOLIBS=$out/iolibs"
  say "check: gphoto2 --auto-detect sees the virtual Nikon D750"
fi
say "built $so"
