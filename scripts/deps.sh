#!/usr/bin/env bash
# Installs, with apt-get, whatever the build and the tests need and this
# Debian machine lacks. Root runs apt-get itself; anyone else through sudo.
set -euo pipefail

packages=(gcc make cmake pkg-config check libcap-dev file util-linux procps
	busybox-static podman runc)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
