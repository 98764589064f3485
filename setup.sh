#!/usr/bin/env bash
# Sets textmill up on Debian 12 and runs the main job on the bundled defaults:
#   installs the build dependencies (apt-get), builds into build/, and runs
#   config/default.yaml over corpus/sample/, writing out/.
set -euo pipefail
cd "$(dirname "$0")"

packages=(build-essential cmake pkg-config libyaml-dev zlib1g-dev libzstd-dev check libsubunit-dev
          liblua5.4-dev libpcre2-dev libutf8proc-dev libsqlite3-dev sqlite3 python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
./build/textmill run config/default.yaml
echo "setup.sh: output in out/ (see README.md for what to do next)"
