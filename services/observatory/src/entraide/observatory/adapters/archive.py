"""The archive: anonymous facts in Parquet files partitioned by kind and month, written and
queried with DuckDB.

    <data dir>/facts/kind=<kind>/month=YYYY-MM/part-<uuid>.parquet

Hive-style partitions: a query names the kind's folder and reads only its months; the
same files can be read by a distributed engine (Spark, Trino, DuckDB on object storage)
when the network goes national. Indicators are DuckDB SQL over these files: GROUP BY CUBE
gives every cell and every margin in one pass; no aggregation is written by hand.
"""

import contextlib
import threading
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from entraide.observatory.domain.facts import COLUMNS, Fact, FactKind
from entraide.observatory.domain.indicators import LISTS, Dimension, Indicator, Measure
from entraide.observatory.domain.protection import OTHER_TERRITORIES, TOTAL
from entraide.observatory.usecases.ports import CubeRow

SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("month", pa.string()),
        ("departement", pa.string()),
        ("association", pa.string()),
        ("needs", pa.list_(pa.string())),
        ("urgency", pa.string()),
        ("channel", pa.string()),
        ("signs", pa.bool_()),
        ("several_signs", pa.bool_()),
        ("situations", pa.list_(pa.string())),
        ("reason", pa.string()),
        ("outcome", pa.string()),
        ("days", pa.float64()),
        ("places", pa.int32()),
        ("flag", pa.bool_()),
        ("fact_id", pa.string()),
    ]
)
assert SCHEMA.names == ["kind", "month", *COLUMNS]
NETWORK = "reseau"  # facts with no département (erasures)

# each dimension's SQL over a fact (`needs` is a list: a fact counts under each need)
EXPRESSIONS = {
    Dimension.NEED: "unnest(needs)",
    Dimension.SITUATION: "unnest(situations)",
    Dimension.URGENCY: "urgency",
    Dimension.ASSOCIATION: "association",
    Dimension.CHANNEL: "channel",
    Dimension.SIGNS: "CASE WHEN several_signs THEN 'plusieurs' WHEN signs THEN 'au-moins-un' "
    "ELSE 'aucun' END",
    Dimension.REASON: "reason",
    Dimension.OUTCOME: "outcome",
    Dimension.ON_TIME: "CASE WHEN flag THEN 'a-temps' ELSE 'en-retard' END",
    Dimension.HONORABILITY: "CASE WHEN flag THEN 'en-attente' ELSE 'valide' END",
}
TERRITORY = (
    f"CASE WHEN departement = '' THEN '{NETWORK}' "
    f"WHEN list_contains($kept, departement) THEN departement ELSE '{OTHER_TERRITORIES}' END"
)


class ParquetArchive:
    """The archive under `root` (the observatory's data directory)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.facts = root / "facts"
        self._write = threading.Lock()
        self._memory: duckdb.DuckDBPyConnection | None = None

    @contextlib.contextmanager
    def loaded(self) -> Iterator[None]:
        """For a refresh: each kind's files read once into memory, every query then served
        from there (a refresh runs some hundred queries over the same facts)."""
        with duckdb.connect() as db:
            for folder in sorted(self.facts.glob("kind=*")):
                kind = folder.name.removeprefix("kind=")
                if self._has(kind):
                    db.execute(f'CREATE TABLE "{kind}" AS {_read(self.files(kind))}')
            self._memory = db
            try:
                yield
            finally:
                self._memory = None

    def files(self, kind: FactKind | str = "*") -> str:
        return str(self.facts / f"kind={kind}" / "month=*" / "*.parquet")

    def _has(self, kind: FactKind | str = "*") -> bool:
        return any(self.facts.glob(f"kind={kind}/month=*/*.parquet"))

    def append(self, facts: Sequence[Fact]) -> int:
        """Write facts into their partitions (new files: readers never see a half file)."""
        if not facts:
            return 0
        table = pa.Table.from_pylist([_row(f) for f in facts], schema=SCHEMA)
        self.facts.mkdir(parents=True, exist_ok=True)
        with self._write, duckdb.connect() as db:
            db.register("incoming", table)
            db.execute(
                f"COPY incoming TO '{self.facts}' (FORMAT parquet, PARTITION_BY (kind, month), "
                "FILENAME_PATTERN 'part-{uuid}', APPEND true)"
            )
        return len(facts)

    def compact(self, most: int = 4) -> int:
        """Rewrite each partition holding more than `most` files as one file (each flush
        adds a file per partition); the number of partitions rewritten. Refreshes and
        flushes run one at a time (the use case's lock), so no reader sees a file vanish."""
        done = 0
        with self._write:
            for partition in sorted(self.facts.glob("kind=*/month=*")):
                old = sorted(partition.glob("*.parquet"))
                if len(old) <= most:
                    continue
                new = partition / f"part-{uuid.uuid4().hex}.parquet"
                names = ", ".join(f"'{p}'" for p in old)
                with duckdb.connect() as db:
                    db.execute(
                        f"COPY (SELECT * EXCLUDE (kind, month) FROM read_parquet([{names}], "
                        f"hive_partitioning = true)) TO '{new}.tmp' (FORMAT parquet)"
                    )
                Path(f"{new}.tmp").rename(new)  # atomic: readers see the old files or the new
                for path in old:
                    path.unlink()
                done += 1
        return done

    def scan(self, sql: str, kind: FactKind | str = "*", **params: object) -> list[tuple[Any, ...]]:
        """Run `sql` over the facts of one kind (the view `facts`); [] if there are none."""
        if not self._has(kind):
            return []
        if self._memory is not None and kind != "*":
            cursor = self._memory.cursor()
            return cursor.execute(sql.replace("FROM facts", f'FROM "{kind}"'), params).fetchall()
        with duckdb.connect() as db:
            db.execute(f"CREATE VIEW facts AS {_read(self.files(kind))}")
            return db.execute(sql, params).fetchall()

    def years(self) -> list[str]:
        rows = self.scan("SELECT DISTINCT left(month, 4) FROM facts ORDER BY 1")
        return [str(r[0]) for r in rows]

    def families_by_departement(self, year: str) -> dict[str, int]:
        rows = self.scan(
            "SELECT departement, count(*) FROM facts WHERE left(month, 4) = $year GROUP BY 1",
            FactKind.REQUEST,
            year=year,
        )
        return {str(d): int(str(n)) for d, n in rows}

    def cube(
        self, indicator: Indicator, year: str, by: Dimension | None, territories: frozenset[str]
    ) -> list[CubeRow]:
        """Every cell and margin of an indicator for a year, along `by` if given."""
        column = EXPRESSIONS[indicator.column]
        split = EXPRESSIONS[by] if by is not None else f"'{TOTAL}'"
        active = "AND outcome = 'active'" if indicator.only_active else ""
        if indicator.only_outcome:  # a code of the domain's, never a query's input
            active = f"AND outcome = '{indicator.only_outcome}'"
        dims = "territory, month, col, filt" if by is not None else "territory, month, col"
        lists = [d for d in (indicator.column, by) if d in LISTS]
        measures = _measures(indicator.measure)
        inner = (
            f"SELECT {TERRITORY} AS territory, month, {column} AS col, {split} AS filt, "
            f"fact_id, places, days FROM facts WHERE left(month, 4) = $year {active}"
        )
        sql = (
            f"SELECT coalesce(territory, '*'), coalesce(month, '*'), coalesce(col, '*'), "
            f"{'coalesce(filt, ' + repr(TOTAL) + ')' if by is not None else repr(TOTAL)}, {measures} "
            f"FROM ({inner}) GROUP BY CUBE ({dims})"
        )
        params = {"year": year, "kept": sorted(territories)}
        rows = self.scan(sql, indicator.kind, **params)
        cube = {_key(r): _cell(r) for r in rows}
        if lists:
            # a fact spread over several needs (or signs) counts once in their total: the
            # counts, sums and quantiles of that margin come from the facts, not from their
            # needs; a fact with no sign counts there too
            whole = inner.replace(f"{EXPRESSIONS[lists[0]]} AS", "'*' AS")
            margin = sql.replace(inner, whole)
            for r in self.scan(margin, indicator.kind, **params):
                key = _key(r)
                if "*" in (key[2], key[3]) and (key in cube or lists[0] is Dimension.SITUATION):
                    cube[key] = _cell(r)
        return list(cube.values())


def _read(files: str) -> str:
    return (
        f"SELECT * FROM read_parquet('{files}', hive_partitioning = true, "
        "hive_types = {'kind': VARCHAR, 'month': VARCHAR}, union_by_name = true)"
    )


def _measures(measure: Measure) -> str:
    """The aggregates a measure needs (a quantile costs: only durations compute them)."""
    if measure is Measure.DURATION:
        return "count(days), 0, quantile_cont(days, 0.5), quantile_cont(days, 0.9)"
    if measure is Measure.PLACES:
        return "count(*), coalesce(sum(places), 0), NULL, NULL"
    return "count(*), 0, NULL, NULL"


def _key(r: tuple[Any, ...]) -> tuple[str, str, str, str]:
    return (r[0], r[1], r[2], r[3])  # DuckDB returns the VARCHARs as str


def _cell(r: tuple[Any, ...]) -> CubeRow:
    return CubeRow((r[0], r[1], r[2], r[3]), r[4], r[5], r[6], r[7])


def _row(fact: Fact) -> dict[str, object]:
    row = asdict(fact)
    row["kind"] = fact.kind.value
    row["needs"] = list(fact.needs)
    row["situations"] = list(fact.situations)
    return row
