import os

from django.core.wsgi import get_wsgi_application

from bellwether.core.security import restrict_file_modes

# Before settings are read: the SQLite database, uploads and anything else this
# process creates are then owner-only.
restrict_file_modes()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bellwether.settings")
application = get_wsgi_application()
