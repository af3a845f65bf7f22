"""`python -m entraide.matching`: serve matching on ENTRAIDE_MATCHING_PORT (default 8030)."""

from entraide.kit.run import serve
from entraide.matching.app import SERVICE, create_app
from entraide.matching.settings import MatchingSettings

settings = MatchingSettings()
serve(SERVICE, settings, lambda: create_app(settings), settings.port)
