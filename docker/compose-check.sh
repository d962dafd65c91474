#!/usr/bin/env bash
# `npm run compose:check`: the RideShare deployment run for real with docker compose. Starts the Docker engine
# (docker/engine.sh), builds what no registry gives here (the RabbitMQ and ZooKeeper images from Debian packages,
# docker/service-images.sh; the system's image, docker/build-images.sh; all cached), makes sure a compose command
# exists (docker/compose-config.sh), then runs harness/compose/compose-check-cli.ts, which prints each step.
# RABBITMQ_IMAGE / ZOOKEEPER_IMAGE, when set, are used instead of the local images (for example the official ones).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: npm run compose:check    (images: docker/service-images.sh, docker/build-images.sh; steps: harness/compose/compose-check-cli.ts --help)"
  exit 0
fi
start=$(date +%s)
bash docker/engine.sh
if [ -z "${RABBITMQ_IMAGE:-}" ] || [ -z "${ZOOKEEPER_IMAGE:-}" ]; then
  bash docker/service-images.sh rabbitmq zookeeper
  export RABBITMQ_IMAGE=${RABBITMQ_IMAGE:-${LOCAL_RABBITMQ_IMAGE:-rideshare-dbaas-local-rabbitmq:3.10}}
  export ZOOKEEPER_IMAGE=${ZOOKEEPER_IMAGE:-${LOCAL_ZOOKEEPER_IMAGE:-rideshare-dbaas-local-zookeeper:3.8}}
fi
bash docker/build-images.sh
bash docker/compose-config.sh
echo "compose check: images ready after $(( $(date +%s) - start )) s"
npx tsx harness/compose/compose-check-cli.ts
