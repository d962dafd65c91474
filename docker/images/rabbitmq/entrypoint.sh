#!/bin/bash
# Entrypoint of the local RabbitMQ image (Debian's rabbitmq-server, built by docker/service-images.sh), for machines
# that reach no container registry. It takes the variables compose gives the official rabbitmq image; RabbitMQ itself
# reads them (RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS, RABBITMQ_DEFAULT_VHOST, RABBITMQ_NODE_PORT,
# RABBITMQ_NODENAME), so this script only prepares what Debian's package leaves to its init system.
set -euo pipefail

# Like the official image: the node is named after the container's host name, so a data volume is found again only
# when the host name is stable (compose sets `hostname:`), and data lives under /var/lib/rabbitmq (the volume).
export RABBITMQ_NODENAME=${RABBITMQ_NODENAME:-rabbit@$(hostname -s)}
export RABBITMQ_LOGS=${RABBITMQ_LOGS:--}
mkdir -p /var/lib/rabbitmq /var/log/rabbitmq /etc/rabbitmq/conf.d
# A fresh named volume is owned by root: the broker runs as the rabbitmq user.
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq

if [ "${1:-}" = "rabbitmq-server" ]; then
  # Debian's wrapper switches to the rabbitmq user itself (and keeps the environment); exec keeps signals for the broker.
  exec /usr/sbin/rabbitmq-server
fi
exec "$@"
