#!/usr/bin/env bash
# Builds, without any container registry, local images of the servers the compose deployment runs, from Debian's
# archive: mmdebstrap makes a root filesystem with the Debian packages, `docker import` makes it an image.
#   rabbitmq   Debian's rabbitmq-server (3.10) with docker/images/rabbitmq/entrypoint.sh
#   zookeeper  Debian's zookeeper (3.8) and a headless JRE with docker/images/zookeeper/entrypoint.sh
#   build      a build base for the project's image: Debian with a C/C++ toolchain and python3 (node-gyp builds
#              sqlite3 from source) plus this machine's node and npm (Debian 12 packages Node 18 only)
# Each image carries a label with the hash of its inputs (see image() below); an image whose label matches is kept, so
# a second run costs seconds. Root only (mmdebstrap, chown).
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=${DEBIAN_SUITE:-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RABBITMQ_TAG=${LOCAL_RABBITMQ_IMAGE:-rideshare-dbaas-local-rabbitmq:3.10}
ZOOKEEPER_TAG=${LOCAL_ZOOKEEPER_IMAGE:-rideshare-dbaas-local-zookeeper:3.8}
BUILD_TAG=${LOCAL_BUILD_IMAGE:-rideshare-dbaas-local-build:20}
LABEL=dbaas.inputs
# The root filesystem of the image being built (hundreds of MB): removed however the script ends.
WORK=
trap 'if [ -n "$WORK" ]; then rm -rf "$WORK"; fi' EXIT

usage() {
  echo "Usage: docker/service-images.sh [rabbitmq|zookeeper|build|all]...   (default: all)"
  echo "  Builds $RABBITMQ_TAG (LOCAL_RABBITMQ_IMAGE), $ZOOKEEPER_TAG (LOCAL_ZOOKEEPER_IMAGE) and $BUILD_TAG"
  echo "  (LOCAL_BUILD_IMAGE) from Debian $SUITE (DEBIAN_SUITE) at $MIRROR (DEBIAN_MIRROR); skips an image whose inputs"
  echo "  did not change. FORCE=1 rebuilds."
}
case "${1:-}" in -h|--help) usage; exit 0 ;; esac

ensure_mmdebstrap() {
  command -v mmdebstrap >/dev/null && return 0
  if [ "$(id -u)" != 0 ]; then echo "service images: mmdebstrap is missing and this is not root: apt-get install mmdebstrap"; exit 1; fi
  echo "service images: installing Debian's mmdebstrap..."
  # Other users of this machine may hold the dpkg lock for a while: wait for it rather than fail.
  local apt=(apt-get -o DPkg::Lock::Timeout=600)
  DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends mmdebstrap >/dev/null 2>&1 ||
    { "${apt[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends mmdebstrap >/dev/null; }
}

current() { docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true; }

# image TAG FILES-DIR EXTRA MMDEBSTRAP-ARGS... -- IMPORT-CHANGES...
# The image's inputs are hashed: the suite, the mirror, the mmdebstrap arguments (packages, hooks), the image's
# settings, the files of FILES-DIR and EXTRA (versions of what is copied in from this machine). An image whose label
# holds that hash is kept. mmdebstrap writes the root filesystem to a file first, so that a failed run never becomes
# an image (an empty image with the right label would pass for a cached one).
image() {
  local tag=$1 dir=$2 extra=$3; shift 3
  local args=() changes=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  changes=("$@")
  local hash
  hash=$({ printf '%s\n' "$SUITE" "$MIRROR" "$extra" "${args[@]}" "${changes[@]}"; if [ -d "$dir" ]; then find "$dir" -type f | sort | xargs cat; fi; } | sha256sum | cut -c1-16)
  if [ "${FORCE:-}" != 1 ] && [ "$(current "$tag")" = "$hash" ]; then echo "service images: $tag is up to date"; return; fi
  echo "service images: building $tag from Debian $SUITE (a minute or more: mmdebstrap downloads and unpacks the packages)..."
  local start; start=$(date +%s)
  ensure_mmdebstrap
  WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/service-image.XXXXXX")
  mmdebstrap --quiet --variant=apt "${args[@]}" "$SUITE" "$WORK/rootfs.tar" "$MIRROR"
  docker import --change "LABEL $LABEL=$hash" "${changes[@]}" --message "made by docker/service-images.sh from Debian $SUITE" \
    "$WORK/rootfs.tar" "$tag" >/dev/null
  rm -rf "$WORK"
  WORK=
  echo "service images: $tag built in $(( $(date +%s) - start )) s"
}

build_rabbitmq() {
  image "$RABBITMQ_TAG" docker/images/rabbitmq "" --include=rabbitmq-server,ca-certificates \
    --customize-hook='copy-in docker/images/rabbitmq/entrypoint.sh /usr/local/bin' \
    --customize-hook='rm -rf "$1"/var/lib/rabbitmq/mnesia "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    -- \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'VOLUME /var/lib/rabbitmq' \
    --change 'EXPOSE 5672' \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' \
    --change 'CMD ["rabbitmq-server"]'
}

build_zookeeper() {
  # /conf holds the generated zoo.cfg and Debian's log4j.properties and environment; Debian's scripts (zkServer.sh
  # status, the health check, which sources zkEnv.sh -> /etc/zookeeper/conf/environment) read /etc/zookeeper/conf,
  # which becomes a link to it.
  image "$ZOOKEEPER_TAG" docker/images/zookeeper "" --include=zookeeper,default-jre-headless \
    --customize-hook='copy-in docker/images/zookeeper/entrypoint.sh /usr/local/bin' \
    --customize-hook='mkdir -p "$1"/conf && cp "$1"/etc/zookeeper/conf_example/log4j.properties "$1"/etc/zookeeper/conf_example/environment "$1"/conf/ && ln -sfn /conf "$1"/etc/alternatives/zookeeper-conf' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    -- \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/share/zookeeper/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV ZOO_CONF_DIR=/conf ZOO_DATA_DIR=/data ZOO_DATA_LOG_DIR=/datalog' \
    --change 'VOLUME /data /datalog' \
    --change 'EXPOSE 2181' \
    --change 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' \
    --change 'CMD ["zkServer.sh", "start-foreground"]'
}

build_build() {
  local node; node=$(readlink -f "$(command -v node)")
  local npm_dir; npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  local headers=/usr/include/node
  if [ ! -f "$headers/node.h" ]; then echo "service images: $headers/node.h is missing: node-gyp could not build sqlite3 offline"; exit 1; fi
  # The node binary, npm and the headers node-gyp compiles addons against (nodedir=/usr: nothing is downloaded).
  image "$BUILD_TAG" /nonexistent "node $(node --version) npm $(npm --version)" --include=python3,make,g++,ca-certificates \
    --customize-hook="copy-in $node /usr/bin" \
    --customize-hook='mkdir -p "$1"/usr/lib/node_modules/npm "$1"/usr/include/node' \
    --customize-hook="sync-in $npm_dir /usr/lib/node_modules/npm" \
    --customize-hook="sync-in $headers /usr/include/node" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1"/usr/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1"/usr/bin/npx' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    -- \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV npm_config_nodedir=/usr npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false' \
    --change "ENV NODE_VERSION=$(node --version | tr -d v)" \
    --change 'CMD ["/bin/bash"]'
  docker run --rm "$BUILD_TAG" node -e 'console.log("service images: the build base runs node " + process.version)'
}

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(all)
for t in "${targets[@]}"; do
  case "$t" in
    rabbitmq) build_rabbitmq ;;
    zookeeper) build_zookeeper ;;
    build) build_build ;;
    all) build_rabbitmq; build_zookeeper; build_build ;;
    *) usage; exit 2 ;;
  esac
done
