# One image for every part of the system; the command picks the part (compiled JavaScript, `npm run build`):
#   dist/system/orchestrator/main.js (default), dist/system/worker/main.js, dist/system/rideshare/{users,rides,gateway}/main.js
#
# Two stages. `build` installs the dependencies for the image's own platform (`npm ci`; sqlite3 is compiled there with
# node-gyp when no prebuilt binary is reachable) and compiles the sources; the final stage gets only the compiled
# system and the production node_modules. BUILD_IMAGE needs node, npm, python3, make and g++; BASE_IMAGE only node.
# Both default to the registry's Node images. Where no registry is reachable, docker/build-images.sh passes local
# ones: a Debian build base from docker/service-images.sh and a node-only base from docker/make-local-base.sh (which
# has no shell: the final stage has no RUN step).
ARG BUILD_IMAGE=node:20-bookworm
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BUILD_IMAGE} AS deps
WORKDIR /app
# Certificates (PEM) to trust besides the usual ones while npm ci fetches packages: where the registry is reached
# through a TLS-inspecting proxy, docker/build-images.sh passes the ones this machine added to its trust store.
ARG EXTRA_CA_CERTS=""
# Only the manifests: this layer (the ~90 s sqlite3 compile) is rebuilt only when package-lock.json changes.
COPY package.json package-lock.json ./
RUN if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" > /tmp/extra-ca.pem; export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi && \
    npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY system ./system
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE_IMAGE}
WORKDIR /app
# Workers keep their SQLite database under DATA_DIR; the Docker runtime mounts a tmpfs on /tmp for them.
ENV NODE_ENV=production \
    DATA_DIR=/tmp/dbaas \
    SERVICES_AUTO_INSTALL=false
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

LABEL org.opencontainers.image.title="rideshare-dbaas" \
      org.opencontainers.image.description="RideShare DBaaS: orchestrator, worker, users, rides and gateway (by command)"

# Exec form, no shell and no init wrapper: node is the container's first process, so a worker's process.pid is the
# container's State.Pid when the runtime runs it in the host's PID namespace (see docs/docker.md).
ENTRYPOINT ["node"]
CMD ["dist/system/orchestrator/main.js"]
