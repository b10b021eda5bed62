# syntax=docker/dockerfile:1
# mcns container image: build stage compiles TypeScript, better-sqlite3's native
# addon and our batched UDP module (native/mcns_udp.c, docs/adr/0004); runtime stage carries only production dependencies and runs as user mcns.
#
#   docker build -t mcns:0.1.0 .
#   docker compose -f deploy/docker/docker-compose.yml up -d
#
# Port 53 as a non-root user: the node binary gets cap_net_bind_service as a file
# capability below. Docker 20.10+ also lets any user of the container bind low
# ports (net.ipv4.ip_unprivileged_port_start=0), so the capability matters with
# --network host or an older engine. Without either, listen on 5300 in
# /etc/mcns/mcns.toml and publish "53:5300/udp" and "53:5300/tcp" instead.
# docs/RUNBOOK.md "Start, stop, restart" covers running it.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles its addon when no prebuilt binary matches; gcc (with g++)
# builds native/mcns_udp.c against the image's /usr/local/include/node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# The locked versions; `npm install` rather than `npm ci` because the lock cannot
# list every platform's copy of buf's optional binary (scripts/test-all.sh does the same).
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY scripts/build-native.mjs ./scripts/build-native.mjs
COPY native ./native
COPY src ./src
# The image always carries the batched UDP module: a failed compile fails the build.
RUN MCNS_REQUIRE_NATIVE=1 npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# setcap comes from libcap2-bin, removed again once the capability is set.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep /usr/local/bin/node \
 && apt-get purge -y libcap2-bin \
 && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system mcns \
 && useradd --system --gid mcns --home-dir /var/lib/mcns --no-create-home --shell /usr/sbin/nologin mcns \
 && mkdir -p /var/lib/mcns /etc/mcns \
 && chown mcns:mcns /var/lib/mcns \
 && chmod 0750 /var/lib/mcns
WORKDIR /opt/mcns
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/native/build ./native/build
COPY examples ./examples
COPY docs/RUNBOOK.md ./docs/RUNBOOK.md
COPY deploy/docker/mcns.toml /etc/mcns/mcns.toml
RUN ln -s /opt/mcns/bin/mcns.js /usr/local/bin/mcns
ENV NODE_ENV=production \
    MCNS_CA_CERT=/var/lib/mcns/tls/ca.pem
USER mcns
VOLUME ["/var/lib/mcns"]
EXPOSE 53/udp 53/tcp 8443 9443 9153
# "ok" and exit 0 when the REST API answers /v1/health and /v1/ready; trusts the
# self-signed CA made on first start (override MCNS_CA_CERT for your own CA).
HEALTHCHECK --interval=30s --timeout=12s --start-period=30s --retries=3 \
  CMD ["mcns", "status"]
STOPSIGNAL SIGTERM
CMD ["mcns", "serve", "--config", "/etc/mcns/mcns.toml"]
