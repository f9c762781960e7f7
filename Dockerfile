# syntax=docker/dockerfile:1
# Car Community API on Node.js 24 LTS: build with the dev toolchain, run on production
# dependencies only, as a non-root user.

# 1. Build the runtime layout in /runtime with scripts/runtime-layout.js — the one list of
#    what ships (package.json, production node_modules, dist/ with the compiled code and
#    migrations, the password-hashing worker and the bundled data files). The test
#    tests/runtime-layout.test.ts assembles and runs the same layout.
FROM node:24-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
COPY seeders ./seeders
RUN node scripts/runtime-layout.js assemble /runtime --deps=install

# 2. The runtime image: exactly that layout, nothing from src/.
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/.data \
    EMBEDDED_PG_DIR=/app/.data/postgres
WORKDIR /app
COPY --from=build --chown=node:node /runtime ./
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# Liveness only; /readyz tells whether the database answers (and turns 503 on SIGTERM).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/healthz',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# Exec form: node itself receives SIGTERM and drains (exit 0 within
# SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS + 5 s; give `docker stop -t` at least that).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/index.js"]
