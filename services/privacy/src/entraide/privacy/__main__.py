"""`python -m entraide.privacy`: serve privacy on ENTRAIDE_PRIVACY_PORT (default 8040)."""

from entraide.kit.run import serve
from entraide.privacy.app import SERVICE, create_app
from entraide.privacy.settings import PrivacySettings

settings = PrivacySettings()
serve(SERVICE, settings, lambda: create_app(settings), settings.port)
