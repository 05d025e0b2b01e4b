#!/usr/bin/env bash
# Release binaries from a fresh clone: one file each, with the default theme and fonts
# inside, stripped.
#
#   bash scripts/release.sh              # all targets into dist/
#   TARGETS="x86_64-pc-windows-gnu" bash scripts/release.sh
#
# Installs what it needs (Debian's cross linkers, rustup's targets). Targets:
#   x86_64-pc-windows-gnu      mingbai-windows-x86_64.exe   (mingw-w64 from Debian)
#   x86_64-unknown-linux-musl  mingbai-linux-x86_64          (static)
#   aarch64-unknown-linux-musl mingbai-linux-aarch64         (static; 飞腾, 鲲鹏)
# loongarch64 (龙芯) is not built: rustup's rust-std for loongarch64-unknown-linux-{gnu,musl}
# cannot be fetched from this workplace's registries, and Debian 12 has no loongarch64
# cross compiler. On a LoongArch machine with Rust, `cargo build --release` builds it.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS="${TARGETS:-x86_64-pc-windows-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl}"
DIST="${DIST:-dist}"
TD="${CARGO_TARGET_DIR:-target}"

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  need=""
  for t in $TARGETS; do
    case "$t" in
      *windows-gnu) command -v x86_64-w64-mingw32-gcc >/dev/null || need="$need gcc-mingw-w64-x86-64" ;;
      aarch64-*) command -v aarch64-linux-gnu-gcc >/dev/null || need="$need gcc-aarch64-linux-gnu" ;;
    esac
  done
  if [ -n "$need" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
  fi
fi

mkdir -p "$DIST"
for t in $TARGETS; do
  rustup target add "$t" >/dev/null
  # Release without line tables, symbols stripped: the size people download.
  CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=symbols \
    cargo build --release --locked --target "$t"
  case "$t" in
    x86_64-pc-windows-gnu) src="$TD/$t/release/mingbai.exe"; out="mingbai-windows-x86_64.exe" ;;
    x86_64-unknown-linux-musl) src="$TD/$t/release/mingbai"; out="mingbai-linux-x86_64" ;;
    aarch64-unknown-linux-musl) src="$TD/$t/release/mingbai"; out="mingbai-linux-aarch64" ;;
    *) src="$TD/$t/release/mingbai"; out="mingbai-$t" ;;
  esac
  cp "$src" "$DIST/$out"
  size=$(stat -c %s "$DIST/$out")
  echo "$DIST/$out  $((size / 1024 / 1024)) MB ($size bytes)"
  # The limit people on slow county networks can download.
  if [ "$size" -gt $((60 * 1024 * 1024)) ]; then
    echo "error: $out is over 60 MB" >&2
    exit 1
  fi
done
