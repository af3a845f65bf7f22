"""`python -m entraide.directory`: serve directory on ENTRAIDE_DIRECTORY_PORT (default 8010)."""

from entraide.directory.app import SERVICE, create_app
from entraide.directory.settings import DirectorySettings
from entraide.kit.run import serve

settings = DirectorySettings()
serve(SERVICE, settings, lambda: create_app(settings), settings.port)
