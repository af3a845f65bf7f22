# syntax=docker/dockerfile:1.7
# One image per service, built from the repository root:
#   docker build --build-arg SERVICE=intake -t entraide-intake .
# SERVICE is one of directory, intake, matching, privacy, observatory. The same image also runs the
# dev issuer (compose only): `python -m entraide.kit.devissuer`.
# Stages: web (DSFR assets from npm), build (uv: locked dependencies, then the workspace
# packages, non-editable), runtime (slim Python, the virtualenv and the assets, non-root;
# no uv, no compiler, no node; /data for the observatory's archive volume).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM node:22-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${PYTHON_IMAGE} AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
ARG SERVICE
RUN test -n "${SERVICE}" || { echo "--build-arg SERVICE=directory|intake|matching|privacy|observatory" >&2; exit 1; }
# Dependencies first, from the lock and the members' pyproject.toml only: this layer is
# rebuilt when a dependency changes, not when the code does.
COPY pyproject.toml uv.lock ./
COPY services/contracts/pyproject.toml services/contracts/
COPY services/kit/pyproject.toml services/kit/
COPY services/directory/pyproject.toml services/directory/
COPY services/intake/pyproject.toml services/intake/
COPY services/matching/pyproject.toml services/matching/
COPY services/privacy/pyproject.toml services/privacy/
COPY services/observatory/pyproject.toml services/observatory/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package="entraide-${SERVICE}"
# Then the code: the service and the contracts, installed as packages (no source tree).
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package="entraide-${SERVICE}"

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
RUN groupadd --system --gid 10001 entraide \
    && useradd --system --uid 10001 --gid entraide --no-create-home --shell /usr/sbin/nologin entraide \
    && install -d -o 10001 -g 10001 /data
COPY --from=build /app/.venv /app/.venv
COPY --from=web /web/node_modules/@gouvfr/dsfr/dist /app/dsfr
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENTRAIDE_SERVICE=${SERVICE} \
    ENTRAIDE_HOST=0.0.0.0 \
    ENTRAIDE_DSFR_DIR=/app/dsfr
WORKDIR /app
USER 10001:10001
EXPOSE 8010 8020 8030 8040 8050
# exec: python is PID 1 and gets SIGTERM itself (in-flight messages finish first)
CMD ["/bin/sh", "-c", "exec python -m \"entraide.${ENTRAIDE_SERVICE}\""]
