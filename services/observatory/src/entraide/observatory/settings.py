"""The observatory's settings (environment, prefix `ENTRAIDE_`)."""

from pathlib import Path

from pydantic import Field

from entraide.kit.settings import ServiceSettings, service_field


class ObservatorySettings(ServiceSettings):
    port: int = service_field("observatory", "port", 8050)
    database: str = service_field("observatory", "database", "entraide_observatory")
    data_dir: Path = Field(
        Path("data/observatory"),
        description="ENTRAIDE_DATA_DIR: where the archive's Parquet files live "
        "(facts/kind=<kind>/month=YYYY-MM/).",
    )
    min_families: int = Field(
        5, ge=2, description="ENTRAIDE_MIN_FAMILIES: no published figure counts fewer."
    )
    territory_minimum: int = Field(
        30,
        ge=0,
        description="ENTRAIDE_TERRITORY_MINIMUM: requests in a year for a département to be "
        "shown on its own; smaller ones roll up into « Autres territoires ».",
    )
    refresh_interval_seconds: float = Field(
        300.0, ge=0, description="The indicators are recomputed this often (0: on demand only)."
    )
    batch_max_records: int = Field(1000, ge=1, description="Events handled per batch.")
