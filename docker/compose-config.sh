#!/usr/bin/env bash
# Validates docker-compose.yml with `docker compose config`. Where the Compose v2 plugin is not installed (Debian 12
# ships no package of it), Debian's docker-compose 1.29 is installed (root only) and checks the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: docker/compose-config.sh    validates docker-compose.yml (docker compose config, else docker-compose config)"
  exit 0
fi
if docker compose version >/dev/null 2>&1; then
  docker compose config -q && echo "compose: docker-compose.yml is valid (docker compose $(docker compose version --short))"
  exit 0
fi
if ! command -v docker-compose >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "compose: neither the docker compose plugin nor docker-compose is installed: install one to validate docker-compose.yml"
    exit 1
  fi
  echo "compose: installing Debian's docker-compose to validate the file..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null; }
fi
docker-compose config -q && echo "compose: docker-compose.yml is valid (docker-compose $(docker-compose version --short))"
