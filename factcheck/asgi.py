import os

from django.core.asgi import get_asgi_application

from factcheck.datadir import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_asgi_application()

require_secret_key()  # a clear message at start, not a failing first request
