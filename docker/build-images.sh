#!/usr/bin/env bash
# Builds the system's image (DOCKER_IMAGE, default rideshare-dbaas:latest) from this checkout. The base is the
# registry's Node image when it is here or can be pulled; otherwise (no registry reachable) a local base made from
# this machine's node by docker/make-local-base.sh. Set DOCKER_BASE_IMAGE to force a base.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${DOCKER_IMAGE:-rideshare-dbaas:latest}
REGISTRY_BASE=node:20-bookworm-slim
LOCAL_BASE=${LOCAL_BASE_IMAGE:-rideshare-dbaas-local-node:20}

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: docker/build-images.sh    builds $IMAGE (DOCKER_IMAGE); base: DOCKER_BASE_IMAGE, else $REGISTRY_BASE, else a local base"
  exit 0
fi
if [ ! -d node_modules/tsx ]; then
  echo "build-images: node_modules is missing: run npm ci first (the image takes node_modules from the checkout)"
  exit 1
fi

base=${DOCKER_BASE_IMAGE:-}
if [ -z "$base" ]; then
  if docker image inspect "$REGISTRY_BASE" >/dev/null 2>&1; then
    base=$REGISTRY_BASE
  else
    echo "build-images: trying to pull $REGISTRY_BASE..."
    if timeout 90 docker pull -q "$REGISTRY_BASE" >/dev/null 2>&1; then
      base=$REGISTRY_BASE
    else
      have=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$LOCAL_BASE" 2>/dev/null | sed -n 's/^NODE_VERSION=//p' || true)
      if [ "$have" = "$(node --version | tr -d v)" ]; then
        echo "build-images: no registry reachable; using the local base $LOCAL_BASE (node $have)"
      else
        echo "build-images: no registry reachable; making a local base image from this machine's node"
        LOCAL_BASE_IMAGE=$LOCAL_BASE bash docker/make-local-base.sh
      fi
      base=$LOCAL_BASE
    fi
  fi
fi

echo "build-images: building $IMAGE on $base (sends node_modules and system/ as the build context)..."
start=$(date +%s)
docker build -q --build-arg "BASE_IMAGE=$base" -t "$IMAGE" . >/dev/null
# The previous build of the tag is now untagged: drop it rather than let every build leave 300 MB behind.
docker image prune -f --filter label=org.opencontainers.image.title=rideshare-dbaas >/dev/null
echo "build-images: $IMAGE built in $(( $(date +%s) - start )) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
