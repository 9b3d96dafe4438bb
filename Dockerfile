# One image for every reference service and the gateway (target `service`), and the
# harness CLI as a one-shot container (target `harness`: the service image plus the
# harness's own files, Node.js and the Allure command line). docker-compose.yml builds
# both; docs/docker.md says how to use them.
#
# Pinned: base images to exact versions, Python packages to constraints.txt, the Allure
# command line to package-lock.json. No secret is baked in: settings arrive as
# environment at run time. .dockerignore keeps the build context to what is copied.

# --- the Allure 3 command line (npm) for the HTML report ----------------------------------
FROM node:22.21.1-bookworm-slim AS allure
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Python packages: [project.dependencies] at the versions constraints.txt pins ---------
FROM python:3.11.14-slim-bookworm AS deps
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /build
COPY pyproject.toml constraints.txt docker/requirements.py ./
RUN python requirements.py pyproject.toml > requirements.txt \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --requirement requirements.txt --constraint constraints.txt

# --- a reference service: `python -m reference_services NAME` -----------------------------
FROM python:3.11.14-slim-bookworm AS service
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HEALTHCHECK_URL=http://127.0.0.1:8000/health/ready
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
      --shell /usr/sbin/nologin app \
 && install -d -o app -g app /data
COPY --from=deps /opt/venv /opt/venv
WORKDIR /app
COPY reference_services/ reference_services/
# The gateway serves its public contract.
COPY contracts/openapi/ contracts/openapi/
COPY docker/healthcheck.py docker/
USER app
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "/app/docker/healthcheck.py"]
CMD ["python", "-m", "reference_services", "gateway"]

# --- the harness CLI: `docker compose run --rm harness run` --------------------------------
FROM service AS harness
USER root
COPY --from=allure /usr/local/bin/node /usr/local/bin/node
COPY --from=allure /build/node_modules/ node_modules/
RUN node --version
COPY harness/ harness/
COPY chaos/ chaos/
COPY loadtests/ loadtests/
COPY contracts/ contracts/
# Inside the compose network the services go by their compose names.
COPY targets/compose.network.yaml targets/compose.yaml
COPY docker/harness-entrypoint.sh docker/
# Written by the suites; compose mounts the host's folders here.
RUN mkdir -p reports contracts/pacts \
 && chown app:app reports contracts/pacts
USER app
HEALTHCHECK NONE
ENTRYPOINT ["sh", "/app/docker/harness-entrypoint.sh"]
CMD ["run"]
