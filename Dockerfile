# Production image for the web app and the Celery worker (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# pythainlp writes and downloads nothing (ita/settings.py says so too): the home of the user `ita` is read-only.
ENV PYTHAINLP_READ_ONLY=1 PYTHAINLP_OFFLINE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libthai0 fonts-thai-tlwg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Static files are collected with the production storage (hashed names, compressed copies, and the
# manifest WhiteNoise serves from). The key only satisfies the settings' production guard: collectstatic
# signs nothing, and the running containers get the real SECRET_KEY (and SITE_URL) from the environment.
RUN DEBUG=0 SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=localhost SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput
# The app's user can write nothing under /app: web, worker and beat keep their state in PostgreSQL and
# Redis, and only /tmp (beat's schedule, the liveness file of the health checks) is written.
RUN useradd --system --home /app ita
USER ita
EXPOSE 8000
CMD ["gunicorn", "ita.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
