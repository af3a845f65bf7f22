"""Directory's settings (environment, prefix `ENTRAIDE_`)."""

from entraide.contracts.kit.settings import ServiceSettings, service_field


class DirectorySettings(ServiceSettings):
    port: int = service_field("directory", "port", 8010)
    database: str = service_field("directory", "database", "entraide_directory")
