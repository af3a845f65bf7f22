"""`python -m entraide.observatory`: serve the observatory on ENTRAIDE_OBSERVATORY_PORT
(default 8050)."""

from entraide.kit.run import serve
from entraide.observatory.app import SERVICE, create_app
from entraide.observatory.settings import ObservatorySettings

settings = ObservatorySettings()
serve(SERVICE, settings, lambda: create_app(settings), settings.port)
