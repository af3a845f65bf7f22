"""`python -m entraide.intake`: serve intake on ENTRAIDE_INTAKE_PORT (default 8020)."""

from entraide.intake.app import SERVICE, create_app
from entraide.intake.settings import IntakeSettings
from entraide.kit.run import serve

settings = IntakeSettings()
serve(SERVICE, settings, lambda: create_app(settings), settings.port)
