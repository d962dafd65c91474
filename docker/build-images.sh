#!/usr/bin/env bash
# Builds the system's image (DOCKER_IMAGE, default rideshare-dbaas:latest) from this checkout with the Dockerfile's two
# stages: `npm ci` and `npm run build` inside the build stage, compiled JavaScript and production node_modules in the
# final one. The stages' images are the registry's Node images when they are here or can be pulled; otherwise (no
# registry reachable) local ones: a Debian build base with this machine's node (docker/service-images.sh build) and
# a node-only base (docker/make-local-base.sh). DOCKER_BUILD_IMAGE / DOCKER_BASE_IMAGE force either.
# Docker's layer cache keeps the `npm ci` layer (sqlite3's ~90 s compile) until package-lock.json changes.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${DOCKER_IMAGE:-rideshare-dbaas:latest}
REGISTRY_BUILD=node:20-bookworm
REGISTRY_BASE=node:20-bookworm-slim
LOCAL_BASE=${LOCAL_BASE_IMAGE:-rideshare-dbaas-local-node:20}
LOCAL_BUILD=${LOCAL_BUILD_IMAGE:-rideshare-dbaas-local-build:20}

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: docker/build-images.sh    builds $IMAGE (DOCKER_IMAGE); stages: DOCKER_BUILD_IMAGE, DOCKER_BASE_IMAGE,"
  echo "  else $REGISTRY_BUILD and $REGISTRY_BASE, else local images made from Debian and this machine's node"
  exit 0
fi

# present_or_pulled IMAGE: the image is here, or a registry gave it now.
present_or_pulled() {
  docker image inspect "$1" >/dev/null 2>&1 && return 0
  echo "build-images: trying to pull $1..."
  timeout 90 docker pull -q "$1" >/dev/null 2>&1
}

build=${DOCKER_BUILD_IMAGE:-}
base=${DOCKER_BASE_IMAGE:-}
if [ -z "$build" ] || [ -z "$base" ]; then
  if present_or_pulled "$REGISTRY_BASE" && present_or_pulled "$REGISTRY_BUILD"; then
    build=${build:-$REGISTRY_BUILD}
    base=${base:-$REGISTRY_BASE}
  else
    echo "build-images: no registry reachable; using local images made from Debian's archive and this machine's node"
    if [ -z "$build" ]; then
      LOCAL_BUILD_IMAGE=$LOCAL_BUILD bash docker/service-images.sh build
      build=$LOCAL_BUILD
    fi
    if [ -z "$base" ]; then
      have=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$LOCAL_BASE" 2>/dev/null | sed -n 's/^NODE_VERSION=//p' || true)
      if [ "$have" != "$(node --version | tr -d v)" ]; then
        if [ ! -d node_modules/sqlite3 ]; then
          echo "build-images: node_modules is missing: run npm ci first (the local base takes the libraries sqlite3 loads from it)"
          exit 1
        fi
        LOCAL_BASE_IMAGE=$LOCAL_BASE bash docker/make-local-base.sh
      fi
      base=$LOCAL_BASE
    fi
  fi
fi

# npm ci in the build stage must reach the npm registry the way this machine does: host network, and the
# certificates this machine added to its trust store (a TLS-inspecting proxy's; Debian keeps them in EXTRA_CA_DIR).
extra_ca=""
for crt in "${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}"/*.crt; do
  if [ -f "$crt" ]; then extra_ca+="$(cat "$crt")"$'\n'; fi
done
echo "build-images: building $IMAGE (build stage $build, final stage $base)..."
start=$(date +%s)
docker build -q --force-rm --network host --build-arg "BUILD_IMAGE=$build" --build-arg "BASE_IMAGE=$base" \
  --build-arg "EXTRA_CA_CERTS=$extra_ca" -t "$IMAGE" . >/dev/null
# The previous build of the tag is now untagged: drop it rather than let every build leave 300 MB behind.
docker image prune -f --filter label=org.opencontainers.image.title=rideshare-dbaas >/dev/null
echo "build-images: $IMAGE built in $(( $(date +%s) - start )) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
