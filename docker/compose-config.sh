#!/usr/bin/env bash
# Validates docker-compose.yml with `docker compose config`. Where the Compose v2 plugin is not installed (Debian 12
# ships no package of it), Debian's docker-compose 1.29 is installed (root only) and checks the same file. The file
# requires the passwords of .env: placeholders (from a temporary env file, never the checkout's .env) stand in here.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: docker/compose-config.sh    validates docker-compose.yml (docker compose config, else docker-compose config)"
  exit 0
fi
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
      echo "compose: neither the docker compose plugin nor docker-compose is installed: install one to validate docker-compose.yml"
      exit 1
    fi
    echo "compose: installing Debian's docker-compose to validate the file..."
    apt=(apt-get -o DPkg::Lock::Timeout=600)
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1 ||
      { "${apt[@]}" update -qq && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends docker-compose >/dev/null; }
  fi
  compose=(docker-compose)
fi
envfile=$(mktemp)
trap 'rm -f "$envfile"' EXIT
printf '%s\n' RABBITMQ_ORCHESTRATOR_PASSWORD=placeholder RABBITMQ_WORKER_PASSWORD=placeholder \
  RABBITMQ_ADMIN_PASSWORD=placeholder ZOOKEEPER_PASSWORD=placeholder > "$envfile"
"${compose[@]}" --env-file "$envfile" config -q
echo "compose: docker-compose.yml is valid ($("${compose[@]}" version --short))"
# Without the passwords compose must refuse the file (no default credentials).
if env -u RABBITMQ_ORCHESTRATOR_PASSWORD -u RABBITMQ_WORKER_PASSWORD -u RABBITMQ_ADMIN_PASSWORD -u ZOOKEEPER_PASSWORD \
  "${compose[@]}" --env-file /dev/null config -q >/dev/null 2>&1; then
  echo "compose: docker-compose.yml was accepted without passwords: it must require them (.env.example)"
  exit 1
fi
