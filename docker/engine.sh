#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs Debian's docker.io when dockerd is missing (root only),
# starts dockerd in the background when it is not running, and waits until it answers. Idempotent.
# Exit status: 0 engine ready; 1 it could not be installed or started (the last line says why).
set -euo pipefail

LOG=${DOCKERD_LOG:-/var/log/dockerd-dbaas.log}
WAIT_S=${DOCKERD_START_TIMEOUT_S:-60}

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  echo "Usage: docker/engine.sh    installs (apt-get install docker.io) and starts dockerd when absent; logs to $LOG"
  exit 0
fi

answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null && answers; then
  echo "docker engine: running ($(docker version --format '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if ! command -v dockerd >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "docker engine: dockerd is not installed and this is not root: install docker.io (or Docker Engine) and start it"
    exit 1
  fi
  echo "docker engine: installing Debian's docker.io (about 30 s)..."
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }; then
    echo "docker engine: apt-get install docker.io failed"
    exit 1
  fi
fi

if [ "$(id -u)" != 0 ]; then
  echo "docker engine: dockerd is installed but not running, and only root can start it here"
  exit 1
fi

echo "docker engine: starting dockerd (log: $LOG)..."
# setsid: the daemon must outlive this script and the CI step that ran it, and not get its signals.
setsid dockerd >>"$LOG" 2>&1 < /dev/null &
for _ in $(seq 1 "$WAIT_S"); do
  if answers; then
    echo "docker engine: running ($(docker version --format '{{.Server.Version}}' 2>/dev/null), storage driver $(docker info --format '{{.Driver}}' 2>/dev/null))"
    exit 0
  fi
  sleep 1
done
echo "docker engine: dockerd did not answer within ${WAIT_S} s; last lines of $LOG: $(tail -n 3 "$LOG" | tr '\n' ' ')"
exit 1
