# One image for the web (gunicorn), the Celery worker and Celery beat, and the one-shot migrate
# service: docker-compose.yml picks the command. No build tools: every requirement installs from a
# wheel (psycopg2-binary included); the PostgreSQL client is there for `manage.py backup`/`restore`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=desmigratif.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home desmigratif

WORKDIR /app
COPY requirements.txt .
RUN pip install --only-binary=:all: -r requirements.txt
# The code belongs to root and is read-only for the portal's user; only media/ is writable.
COPY . .
# collectstatic needs settings, not services: throwaway values that production.py accepts.
RUN SECRET_KEY=build-only-collectstatic-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ \
    ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --no-input -v0 \
 && rm -f /tmp/build.sqlite3 \
 && mkdir -p /app/media && chown desmigratif:desmigratif /app/media
USER desmigratif

EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "desmigratif.wsgi"]
