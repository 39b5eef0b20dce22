import os

from django.core.wsgi import get_wsgi_application

from factcheck.datadir import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()

require_secret_key()  # a clear message at start, not a failing first request
