"""The archive: facts land in their kind's and month's partition; compaction merges a
partition's small files into one without losing or changing a fact."""

from pathlib import Path

from entraide.observatory.adapters.archive import ParquetArchive
from entraide.observatory.domain.facts import Fact, FactKind


def facts(n: int, month: str = "2026-03") -> list[Fact]:
    return [Fact(FactKind.REQUEST, month, "44", needs=("ecoute",), days=1.5) for _ in range(n)]


def test_compaction_merges_a_partitions_files_and_keeps_every_fact(tmp_path: Path) -> None:
    archive = ParquetArchive(tmp_path)
    for _ in range(6):
        archive.append(facts(10))
    archive.append(facts(3, "2026-04"))
    march = tmp_path / "facts" / "kind=request" / "month=2026-03"
    assert len(list(march.glob("*.parquet"))) == 6
    assert archive.compact() == 1
    assert len(list(march.glob("*.parquet"))) == 1
    archive.append(facts(10))  # a compacted file and a new one read together
    rows = archive.scan(
        "SELECT month, count(*), sum(days), min(needs[1]) FROM facts GROUP BY 1 ORDER BY 1",
        FactKind.REQUEST,
    )
    assert rows == [("2026-03", 70, 105.0, "ecoute"), ("2026-04", 3, 4.5, "ecoute")]
