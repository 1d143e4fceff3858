# syntax=docker/dockerfile:1
# One Dockerfile, two images (docker-compose.yml picks the target):
#   api  - the Express API (also runs migrations and the seed as a one-shot service)
#   web  - nginx with nginx.conf and the built single-page app
# pnpm is bootstrapped with a pinned npx (no Corepack: the registry's pnpm has no npm signatures).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG PNPM="npx -y pnpm@9.15.9"

# ---- every dependency, dev included (for the web build) -----------------------------------
FROM ${NODE_IMAGE} AS deps
ARG PNPM
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
RUN ${PNPM} install --frozen-lockfile

# ---- the web app: vite build to apps/web/dist ----------------------------------------------
FROM deps AS web-build
ARG PNPM
COPY tsconfig.base.json ./
COPY packages/shared packages/shared
COPY apps/web apps/web
RUN ${PNPM} --filter @ticketing/web run build

# ---- production dependencies only ----------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
ARG PNPM
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/shared/package.json packages/shared/
RUN ${PNPM} install --frozen-lockfile --prod

# ---- API runtime: TypeScript run by tsx (a production dependency), as the node user --------
FROM ${NODE_IMAGE} AS api
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app ./
COPY tsconfig.base.json ./
COPY db/migrations db/migrations
COPY packages/shared packages/shared
COPY apps/api apps/api
WORKDIR /app/apps/api
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The launcher starts the API with its node flags (apps/api/bin/node-flags.mjs) and forwards SIGTERM.
CMD ["node", "bin/api.mjs"]

# ---- front door: nginx + the built SPA -----------------------------------------------------
FROM nginx:1.27-alpine AS web
COPY nginx.conf /etc/nginx/nginx.conf
COPY --from=web-build /app/apps/web/dist /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/ready"]
