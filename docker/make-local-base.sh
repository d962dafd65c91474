#!/usr/bin/env bash
# Makes a Node base image from this machine's own files, for machines that reach no container registry: the host's
# node binary, the shared libraries it and the project's native addons (sqlite3) load, /tmp, and a passwd with the
# unprivileged user 1000 that workers run as. `docker import` turns that tree into an image; nothing is downloaded.
# The result has no shell and no package manager, so the Dockerfile uses only COPY/ENV/WORKDIR and exec forms.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG=${LOCAL_BASE_IMAGE:-rideshare-dbaas-local-node:20}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: docker/make-local-base.sh    builds the image $TAG (LOCAL_BASE_IMAGE) from the host's node and libraries"
  exit 0
fi

NODE=$(readlink -f "$(command -v node)")
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT

# Every shared object that node and the native addons need, with the dynamic loader, at the same paths as here.
objects=("$NODE")
while IFS= read -r addon; do objects+=("$addon"); done < <(find node_modules -path '*/build/Release/*.node' -not -path '*/obj.target/*' 2>/dev/null)
libs=$(for o in "${objects[@]}"; do ldd "$o" | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}'; done | sort -u)

mkdir -p "$STAGE/usr/bin" "$STAGE/tmp" "$STAGE/etc" "$STAGE/app"
chmod 1777 "$STAGE/tmp"
cp "$NODE" "$STAGE/usr/bin/node"
for lib in $libs; do
  # Copy the real file under the name the loader asks for (ldd may list a symlink).
  mkdir -p "$STAGE$(dirname "$lib")"
  cp -L "$lib" "$STAGE$lib"
done
# Debian's merged /usr: the loader is asked for as /lib64/..., the libraries live under /lib -> usr/lib.
for d in lib lib64; do
  if [ -L "/$d" ] && [ -d "$STAGE/$d" ]; then
    mkdir -p "$STAGE/usr/$d" && cp -a "$STAGE/$d/." "$STAGE/usr/$d/" && rm -rf "${STAGE:?}/$d" && ln -s "usr/$d" "$STAGE/$d"
  fi
done
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnode:x:1000:1000:node:/tmp:/usr/sbin/nologin\n' > "$STAGE/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' > "$STAGE/etc/group"
printf 'hosts: files dns\n' > "$STAGE/etc/nsswitch.conf"

echo "local base: $NODE ($(node --version)) and $(echo "$libs" | wc -w) libraries -> $TAG"
tar -C "$STAGE" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_VERSION='"$(node --version | tr -d v)" \
  --message "local Node base made by docker/make-local-base.sh" - "$TAG" >/dev/null
docker run --rm "$TAG" node -e 'console.log("local base: node " + process.version + " runs in a container")'
