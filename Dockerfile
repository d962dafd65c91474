# One image for every part of the system; the command picks the part:
#   system/orchestrator/main.ts (default), system/worker/main.ts, system/rideshare/{users,rides,gateway}/main.ts
#
# BASE_IMAGE defaults to the registry's Node image. Where no registry is reachable, docker/make-local-base.sh makes a
# base from this machine's node binary and libraries, and docker/build-images.sh passes it here. That base has no
# shell, so this file uses no RUN: node_modules come from the checkout (`npm ci` on Debian 12 / glibc 2.36 with Node
# 20, the same as node:20-bookworm-slim, so the sqlite3 addon built there loads here).
ARG BASE_IMAGE=node:20-bookworm-slim
FROM ${BASE_IMAGE}

WORKDIR /app
# Workers keep their SQLite database under DATA_DIR; the Docker runtime mounts a tmpfs on /tmp for them.
ENV NODE_ENV=production \
    DATA_DIR=/tmp/dbaas \
    SERVICES_AUTO_INSTALL=false

COPY package.json package-lock.json tsconfig.json ./
COPY node_modules ./node_modules
COPY system ./system

LABEL org.opencontainers.image.title="rideshare-dbaas" \
      org.opencontainers.image.description="RideShare DBaaS: orchestrator, worker, users, rides and gateway (by command)"

# Exec form, no shell and no init wrapper: node is the container's first process, so a worker's process.pid is the
# container's State.Pid when the runtime runs it in the host's PID namespace (see docs/docker.md).
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["system/orchestrator/main.ts"]
