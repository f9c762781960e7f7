# syntax=docker/dockerfile:1
# Car Community API: build with the dev toolchain, run on production dependencies only, as a non-root user.

# 1. Compile TypeScript (src and migrations) to dist/.
FROM node:20-slim AS build
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# 2. Production dependencies only.
FROM node:20-slim AS deps
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The runtime image: compiled code, compiled migrations and the bundled data files.
FROM node:20-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/.data \
    EMBEDDED_PG_DIR=/app/.data/postgres
WORKDIR /app
COPY --chown=node:node package.json ./
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node src/data ./src/data
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# Liveness only; /readyz tells whether the database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||3000,path:'/healthz',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
# Exec form: node itself receives SIGTERM and shuts down gracefully (exit 0 within 15 s).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/index.js"]
