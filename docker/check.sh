#!/usr/bin/env bash
# The Docker check, from a fresh clone (after npm ci): starts the Docker engine (installing it when absent), builds the
# system's image offline when no registry is reachable, validates docker-compose.yml, and runs the master-crash and
# slave-crash checks with every part a container (jest.docker.config.ts): RabbitMQ and ZooKeeper from the images
# docker/service-images.sh builds from Debian packages (or RABBITMQ_IMAGE / ZOOKEEPER_IMAGE), the orchestrator and
# its workers from the system's image.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: npm run docker:check    (engine: docker/engine.sh; image: docker/build-images.sh; compose: docker/compose-config.sh)"
  exit 0
fi
bash docker/engine.sh
bash docker/service-images.sh rabbitmq zookeeper
bash docker/build-images.sh
bash docker/compose-config.sh
echo "docker check: master crash and slave crash with worker containers..."
export TESTCONTAINERS_RYUK_DISABLED=true
npx jest --config jest.docker.config.ts --runInBand
echo "docker check: the harness's master-crash and slave-crash scenarios in the docker environment..."
npm run -s scenario -- master-crash --env docker --duration 20
npm run -s scenario -- slave-crash --env docker --duration 20
left=$(docker ps -aq --filter "label=dbaas.deployment" | wc -l)
if [ "$left" -ne 0 ]; then
  echo "docker check: $left container(s) with a dbaas.deployment label left behind" >&2
  exit 1
fi
