#!/usr/bin/env bash
# Builds images to try reaper in where no registry is at hand (the
# docker/ Dockerfiles start from Debian's images, which only a registry
# has): FROM scratch, from the static build/reaper and the static
# /bin/busybox of busybox-static. tests/container builds its images with
# it too.
#   scripts/images.sh podman|docker      as localhost/reaper
#   scripts/images.sh [-t NAME] [-b REAPER] CLIENT [OPTION...]
#       named NAME, with the binary REAPER, through a client command of
#       one's own (the tests': the engine with its private storage)
# The images:
#   NAME-base   busybox and its applets; /etc/passwd and /etc/group with
#               root and app (uid 1000, also in staff); /srv/server, a
#               stand-in for an application that says who it runs as
#               and with which capabilities, then sleeps
#   NAME        docker/Dockerfile.entrypoint on NAME-base: reaper is the
#               entry point, the command given to run is the workload
#   NAME-pause  reaper alone, `reaper --pause` as the entry point: a pod's
#               infra image (podman pod create --infra-image)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=localhost/reaper reaper=$top/build/reaper
usage="usage: scripts/images.sh [-t NAME] [-b REAPER] podman|docker [OPTION...]"
while getopts t:b: opt; do
	case $opt in
	t) name=$OPTARG ;;
	b) reaper=$OPTARG ;;
	*) echo "$usage" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }

# An image FROM scratch has no libc: both binaries must be static.
static() {
	[ -x "$1" ] || { echo "images: no $1: $2" >&2; exit 1; }
	! ldd "$1" >/dev/null 2>&1 || { echo "images: $1 is not static: $2" >&2; exit 1; }
}
static "$reaper" "build it with scripts/build.sh build"
static /bin/busybox "apt-get install busybox-static"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/base/rootfs
mkdir -p "$root/bin" "$root/etc" "$root/srv" "$work/reaper"
cp /bin/busybox "$root/bin/"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf '%s\n' root:x:0:0::/root:/bin/sh app:x:1000:1000::/home/app:/bin/sh >"$root/etc/passwd"
printf '%s\n' root:x:0: app:x:1000: staff:x:50:app >"$root/etc/group"
cat >"$root/srv/server" <<'EOF'
#!/bin/sh
echo "server as $(id -u)"
grep CapEff /proc/self/status
exec sleep 3600
EOF
chmod 755 "$root/srv/server"
printf 'FROM scratch\nCOPY rootfs/ /\n' >"$work/base.Containerfile"
cp "$reaper" "$work/reaper/reaper"
printf 'FROM scratch\nCOPY reaper /sbin/reaper\nENTRYPOINT ["/sbin/reaper", "--pause"]\n' \
	>"$work/pause.Containerfile"

# Docker's classic builder finds the base among the local images, where
# BuildKit would look for it in a registry.
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}
"$@" build -q -t "$name-base" -f "$work/base.Containerfile" "$work/base" >/dev/null
"$@" build -q -t "$name" --build-arg "BASE=$name-base" \
	-f "$top/docker/Dockerfile.entrypoint" "$work/reaper" >/dev/null
"$@" build -q -t "$name-pause" -f "$work/pause.Containerfile" "$work/reaper" >/dev/null
echo "built $name-base, $name and $name-pause"
