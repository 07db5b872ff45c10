# Bellwether: one image for every role (web, worker, scheduler); the command picks it.
#   docker build -t bellwether .
#   docker compose up -d        (see docker-compose.yml and the README, "Deployment")
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BELLWETHER_ENV=production \
    BELLWETHER_HOME=/app \
    BELLWETHER_VAR_DIR=/var/lib/bellwether \
    STATIC_ROOT=/app/static \
    LOG_FORMAT=json

# WeasyPrint (PDF reports) renders through Pango; the PostgreSQL client runs backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir . \
    && useradd --system --home-dir /app --uid 10001 bellwether \
    && mkdir -p /var/lib/bellwether /app/static \
    && SECRET_KEY=build-only bellwether collectstatic --noinput -v0 \
    && chown -R bellwether /var/lib/bellwether

USER bellwether
EXPOSE 8000
# Liveness only: a database outage must not get every container restarted.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
CMD ["gunicorn", "bellwether.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
