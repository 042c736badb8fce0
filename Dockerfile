# syntax=docker/dockerfile:1
# roomservice game server. Colyseus 0.18 needs Node 22+; the server runs its
# TypeScript directly through Node's type stripping, so only the web client is
# built. Build: docker build -t roomservice .   Run: see docker-compose.yml.
# Where no image registry is reachable: npm run image -- --local-base (see README).

# The official node:24-slim, pinned by digest so a rebuild gets the same base.
# This digest (a multi-arch index) is the one public projects pinned for
# node:24-slim; it could not be checked against Docker Hub from the machine
# that wrote this line (no registry there). Refresh it where one is reachable:
#   docker buildx imagetools inspect node:24-slim    (the "Digest:" line)
ARG NODE_IMAGE=node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df

# Production dependencies only. The `node` devDependency (the pinned local
# runtime) is a dev dependency, so the image keeps the base image's Node.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The web client: needs the dev dependencies (Vite, Phaser) and the shared rules in rooms/snek and the room kit.
FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the only one the build could want is the `node` package's
# download of a second Node runtime; the base image's Node builds the client.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.base.json ./
COPY scripts ./scripts
COPY rooms ./rooms
COPY web ./web
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ARG NODE_IMAGE
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=unknown
# OCI image annotations; npm run image fills version, revision and created from the checkout.
LABEL org.opencontainers.image.title="roomservice" \
      org.opencontainers.image.description="Self-hosted Colyseus game rooms: the game server, its web client and operations endpoints" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
ENV NODE_ENV=production
# No heap flags: V8's defaults cost the least CPU. bench:capacity at 2,000
# players on one pinned core: 25.2 µs per player-tick and 86 KB RSS per player
# by default; --max-semi-space-size=2 gave 30.1 µs and 63 KB; with
# --optimize-for-size too, 37.9 µs and 21 KB (docs/performance.md, Capacity).
# CPU is the scarcer resource per player, so memory-bound deployments opt in
# (the Helm chart's server.nodeOptions).
# The repository layout, so paths match a checkout: rooms/server/main.ts,
# web/dist (WEB_DIST's default), scripts/smoke.ts (the Helm chart's `helm test`).
WORKDIR /app
# Files stay owned by root: the server only reads them.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY rooms ./rooms
COPY deploy/healthcheck.ts ./deploy/healthcheck.ts
COPY scripts/smoke.ts ./scripts/smoke.ts
COPY --from=web /app/web/dist ./web/dist
# uid/gid 1000, which the Helm chart's securityContext expects.
USER node
EXPOSE 2567
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "deploy/healthcheck.ts"]
# Exec form: node is PID 1 and receives SIGTERM itself, which starts the drain.
CMD ["node", "rooms/server/main.ts"]
