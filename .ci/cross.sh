#!/usr/bin/env bash
# CI, part two: mingbai as county offices run it. Builds the Windows exe and runs the
# integration tests that need no browser against it under Wine (Debian's wine64), then
# builds the static ARM64 binary and runs --version and the platform tests (a sample
# build in a Chinese-named folder) under qemu-user. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    gcc-mingw-w64-x86-64 gcc-aarch64-linux-gnu wine64 qemu-user-static file >/dev/null
fi
rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-musl >/dev/null

WINE=/usr/lib/wine/wine64
export WINEDEBUG=-all
# No debug info in the cross builds (set for them alone, so the native test build is
# reused as it is): the tests need none, and linking a 500 MB exe is slow.
CARGO_PROFILE_DEV_DEBUG=0 cargo build --locked --target x86_64-pc-windows-gnu
"$WINE" wineboot -i >/dev/null 2>&1 || true
# One wineserver for the whole run. Left alone it exits 3 s after its last client, and
# a test that starts mingbai.exe in that moment dies with "wine client error:0:
# recvmsg: Connection reset by peer" before mingbai runs (seen in CI).
WINESERVER=/usr/lib/wine/wineserver64
[ -x "$WINESERVER" ] || WINESERVER=wineserver
"$WINESERVER" -w || true
"$WINESERVER" -p
trap '"$WINESERVER" -k >/dev/null 2>&1 || true' EXIT
# Wine 8 lacks bcryptprimitives.dll, where Rust's std gets random seeds (ProcessPrng);
# a test-only shim built from .ci/wine/bcryptprimitives.c. Never shipped.
x86_64-w64-mingw32-gcc -shared -O2 -o target/bcryptprimitives.dll .ci/wine/bcryptprimitives.c -ladvapi32
cp target/bcryptprimitives.dll "${WINEPREFIX:-$HOME/.wine}/drive_c/windows/system32/"
EXE="$PWD/target/x86_64-pc-windows-gnu/debug/mingbai.exe"
"$WINE" "$EXE" --version
# Every integration test that needs no browser; robustness.rs is about Linux limits
# (prlimit) and fuzz.rs calls the library, not the binary.
MINGBAI_TEST_EXE="$EXE" MINGBAI_TEST_RUNNER="$WINE" cargo test --locked \
  --test platform --test build_site --test rebuild --test build_errors --test households \
  --test household_sheets --test household_privacy --test print --test serve \
  --test serve_model --test edition --test figures --test editors

CARGO_PROFILE_DEV_DEBUG=0 cargo build --locked --target aarch64-unknown-linux-musl
ARM="$PWD/target/aarch64-unknown-linux-musl/debug/mingbai"
file "$ARM" | grep -q "ARM aarch64" && file "$ARM" | grep -q "statically linked"
qemu-aarch64-static "$ARM" --version
MINGBAI_TEST_EXE="$ARM" MINGBAI_TEST_RUNNER=qemu-aarch64-static cargo test --locked --test platform
