#!/usr/bin/env bash
# Builds, without any container registry, local images of the servers the compose deployment runs, from Debian's
# archive: mmdebstrap makes a root filesystem with the Debian packages, `docker import` makes it an image.
#   rabbitmq   Debian's rabbitmq-server (3.10) with docker/images/rabbitmq/entrypoint.sh
#   zookeeper  Debian's zookeeper (3.8) and a headless JRE with docker/images/zookeeper/entrypoint.sh
#   build      a build base for the project's image: Debian with a C/C++ toolchain and python3 (node-gyp builds
#              sqlite3 from source) plus this machine's node and npm (Debian 12 packages Node 18 only)
# Each image carries a label with the hash of its inputs (this script, its files, the package list, the suite and
# the mirror); an image whose label matches is kept, so a second run costs seconds. Root only (mmdebstrap, chown).
set -euo pipefail
cd "$(dirname "$0")/.."

SUITE=${DEBIAN_SUITE:-bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RABBITMQ_TAG=${LOCAL_RABBITMQ_IMAGE:-rideshare-dbaas-local-rabbitmq:3.10}
ZOOKEEPER_TAG=${LOCAL_ZOOKEEPER_IMAGE:-rideshare-dbaas-local-zookeeper:3.8}
BUILD_TAG=${LOCAL_BUILD_IMAGE:-rideshare-dbaas-local-build:20}
LABEL=dbaas.inputs

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

# Hash of everything an image is made from; extra words (a node version, a package list) are hashed too.
inputs_hash() {
  local dir=$1; shift
  { cat docker/service-images.sh; echo "$SUITE $MIRROR $*"; if [ -d "$dir" ]; then find "$dir" -type f | sort | xargs cat; fi; } | sha256sum | cut -c1-16
}

current() { docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true; }

# import TAG HASH [--change ...]...: reads a root filesystem tar on stdin.
import() {
  local tag=$1 hash=$2; shift 2
  docker import --change "LABEL $LABEL=$hash" "$@" --message "made by docker/service-images.sh from Debian $SUITE" - "$tag" >/dev/null
}

build_rabbitmq() {
  local packages=rabbitmq-server,ca-certificates
  local hash; hash=$(inputs_hash docker/images/rabbitmq "$packages")
  if [ "${FORCE:-}" != 1 ] && [ "$(current "$RABBITMQ_TAG")" = "$hash" ]; then echo "service images: $RABBITMQ_TAG is up to date"; return; fi
  echo "service images: building $RABBITMQ_TAG from Debian $SUITE (a minute or more: mmdebstrap downloads and unpacks the packages)..."
  local start; start=$(date +%s)
  ensure_mmdebstrap
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --customize-hook='copy-in docker/images/rabbitmq/entrypoint.sh /usr/local/bin' \
    --customize-hook='rm -rf "$1"/var/lib/rabbitmq/mnesia "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$SUITE" - "$MIRROR" |
    import "$RABBITMQ_TAG" "$hash" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'VOLUME /var/lib/rabbitmq' \
      --change 'EXPOSE 5672' \
      --change 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' \
      --change 'CMD ["rabbitmq-server"]'
  echo "service images: $RABBITMQ_TAG built in $(( $(date +%s) - start )) s"
}

build_zookeeper() {
  local packages=zookeeper,default-jre-headless
  local hash; hash=$(inputs_hash docker/images/zookeeper "$packages")
  if [ "${FORCE:-}" != 1 ] && [ "$(current "$ZOOKEEPER_TAG")" = "$hash" ]; then echo "service images: $ZOOKEEPER_TAG is up to date"; return; fi
  echo "service images: building $ZOOKEEPER_TAG from Debian $SUITE (a minute or more: mmdebstrap downloads and unpacks the packages)..."
  local start; start=$(date +%s)
  ensure_mmdebstrap
  # /conf holds the generated zoo.cfg and Debian's log4j.properties; Debian's scripts (zkServer.sh status, the health
  # check) read /etc/zookeeper/conf, which becomes a link to it.
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --customize-hook='copy-in docker/images/zookeeper/entrypoint.sh /usr/local/bin' \
    --customize-hook='mkdir -p "$1"/conf && cp "$1"/etc/zookeeper/conf_example/log4j.properties "$1"/conf/ && ln -sfn /conf "$1"/etc/alternatives/zookeeper-conf' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$SUITE" - "$MIRROR" |
    import "$ZOOKEEPER_TAG" "$hash" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/share/zookeeper/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV ZOO_CONF_DIR=/conf ZOO_DATA_DIR=/data ZOO_DATA_LOG_DIR=/datalog' \
      --change 'VOLUME /data /datalog' \
      --change 'EXPOSE 2181' \
      --change 'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]' \
      --change 'CMD ["zkServer.sh", "start-foreground"]'
  echo "service images: $ZOOKEEPER_TAG built in $(( $(date +%s) - start )) s"
}

build_build() {
  local packages=python3,make,g++,ca-certificates
  local node; node=$(readlink -f "$(command -v node)")
  local npm_dir; npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  local headers=/usr/include/node
  local hash; hash=$(inputs_hash /nonexistent "$packages" "$(node --version)" "$(npm --version)")
  if [ "${FORCE:-}" != 1 ] && [ "$(current "$BUILD_TAG")" = "$hash" ]; then echo "service images: $BUILD_TAG is up to date"; return; fi
  if [ ! -f "$headers/node.h" ]; then echo "service images: $headers/node.h is missing: node-gyp could not build sqlite3 offline"; exit 1; fi
  echo "service images: building $BUILD_TAG from Debian $SUITE and this machine's node $(node --version) (a minute or more: mmdebstrap downloads and unpacks the packages)..."
  local start; start=$(date +%s)
  ensure_mmdebstrap
  # The node binary, npm and the headers node-gyp compiles addons against (nodedir=/usr: nothing is downloaded).
  mmdebstrap --quiet --variant=apt --include="$packages" \
    --customize-hook="copy-in $node /usr/bin" \
    --customize-hook="mkdir -p \"\$1\"/usr/lib/node_modules \"\$1\"/usr/include" \
    --customize-hook="sync-in $npm_dir /usr/lib/node_modules/npm" \
    --customize-hook="sync-in $headers /usr/include/node" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1"/usr/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1"/usr/bin/npx' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    "$SUITE" - "$MIRROR" |
    import "$BUILD_TAG" "$hash" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV npm_config_nodedir=/usr npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false' \
      --change "ENV NODE_VERSION=$(node --version | tr -d v)" \
      --change 'CMD ["/bin/bash"]'
  docker run --rm "$BUILD_TAG" node -e 'console.log("service images: build base runs node " + process.version)'
  echo "service images: $BUILD_TAG built in $(( $(date +%s) - start )) s"
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
