FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --system --create-home webmail
# The whole dependency tree, pinned with hashes (requirements.lock is generated from
# requirements.txt by pip-compile --generate-hashes; see README).
COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN DJANGO_SECRET_KEY=build WEBMAIL_CREDENTIALS_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= \
    python manage.py collectstatic --noinput
# Where the non-root user writes: var/ (the default SQLite database and WEBMAIL_UPLOAD_DIR,
# var/uploads) and /srv/uploads (docker-compose.yml's uploads volume, shared by web and
# worker; a fresh named volume takes this directory's owner); the same for the full-text
# indexes (WEBMAIL_SEARCH_INDEX_DIR: var/search-index, the search-index volume).
RUN install -d -o webmail -g webmail -m 0750 /app/var /app/var/uploads /srv/uploads /app/var/search-index /srv/search-index
USER webmail
EXPOSE 8000
CMD ["gunicorn", "webmail.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]
