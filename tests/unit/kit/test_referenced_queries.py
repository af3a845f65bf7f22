"""The kit's `ReferencedDocuments` asks only the collections a service declared to name a
subject, one field (or one `_id`) per query, each on an index: it never lists the
database, never reads another collection, never runs an `$or` over fields (at national
scale each command scanned every collection of the service). Its start indexes each
declared field a collection has no index led by."""

from datetime import UTC, datetime, timedelta
from typing import Any

from entraide.contracts.events import AccessRequested, ErasureRequested
from entraide.contracts.vocab import ErasureReason, SubjectKind
from entraide.kit.rights import ReferencedDocuments

Doc = dict[str, Any]
REF = "fam-ref-0042"
ASK = {
    "case_id": "case-0042",
    "subject_ref": REF,
    "subject_kind": SubjectKind.FAMILY,
    "deadline": datetime(2026, 12, 2, tzinfo=UTC) + timedelta(days=30),
}


class Deleted:
    def __init__(self, count: int) -> None:
        self.deleted_count = count


class Found:
    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs

    async def to_list(self) -> list[Doc]:
        return self.docs

    def __aiter__(self) -> Any:
        async def each() -> Any:
            for doc in self.docs:
                yield doc

        return each()


class Collection:
    """A collection that notes every query it is asked, and matches exact equalities."""

    def __init__(self, db: "Database", name: str) -> None:
        self.db, self.name = db, name
        self.docs: list[Doc] = []
        self.indexes: list[tuple[list[tuple[str, int]], Doc]] = [([("_id", 1)], {})]

    def _matching(self, query: Doc) -> list[Doc]:
        self.db.asked.append((self.name, query))
        return [d for d in self.docs if all(d.get(k) == v for k, v in query.items())]

    async def delete_many(self, query: Doc) -> Deleted:
        gone = self._matching(query)
        self.docs = [d for d in self.docs if d not in gone]
        return Deleted(len(gone))

    def find(self, query: Doc) -> Found:
        return Found(self._matching(query))

    async def list_indexes(self) -> Found:
        return Found([{"key": dict(keys), **options} for keys, options in self.indexes])

    async def create_index(self, keys: Any, **options: Any) -> str:
        spec = [(keys, 1)] if isinstance(keys, str) else list(keys)
        self.indexes.append((spec, options))
        return "_".join(f"{k}_{d}" for k, d in spec)


class Database:
    def __init__(self) -> None:
        self.collections: dict[str, Collection] = {}
        self.asked: list[tuple[str, Doc]] = []
        self.listed = 0

    def __getitem__(self, name: str) -> Collection:
        return self.collections.setdefault(name, Collection(self, name))

    async def list_collection_names(self) -> list[str]:
        self.listed += 1
        return sorted(self.collections)


def _seeded() -> Database:
    db = Database()
    db["matches"].docs = [
        {"_id": "m-1", "family_ref": REF, "state": "closed"},
        {"_id": "m-2", "family_ref": "other"},
    ]
    db["notifications"].docs = [{"_id": "n-1", "recipient_ref": REF}]
    db["places"].docs = [{"_id": f"volunteer:{REF}", "taken": []}]
    db["pending_facts"].docs = [{"_id": "f-1", "family_ref": REF}]  # not declared: never read
    return db


def _handler(db: Database) -> ReferencedDocuments:
    refs = {"matches": ("family_ref",), "notifications": ("recipient_ref",)}
    return ReferencedDocuments(db, refs=refs, keyed={"places": "volunteer:{}"})  # type: ignore[arg-type]


async def test_an_erasure_asks_only_the_declared_collections_one_field_each() -> None:
    db = _seeded()
    erased = await _handler(db).erase(
        ErasureRequested(reason=ErasureReason.RIGHTS_REQUEST, **ASK)  # type: ignore[arg-type]
    )

    assert erased == {"matches": 1, "notifications": 1, "places": 1}
    assert sorted(db.asked, key=str) == sorted(
        [
            ("matches", {"family_ref": REF}),
            ("notifications", {"recipient_ref": REF}),
            ("places", {"_id": f"volunteer:{REF}"}),
        ],
        key=str,
    )
    assert db.listed == 0  # the database's collections are never listed
    assert db["pending_facts"].docs  # nor an undeclared one read


async def test_an_access_exports_the_declared_collections_only() -> None:
    db = _seeded()
    part = await _handler(db).export(AccessRequested(**ASK))  # type: ignore[arg-type]

    assert part == {
        "matches": [{"_id": "m-1", "family_ref": REF, "state": "closed"}],
        "notifications": [{"_id": "n-1", "recipient_ref": REF}],
        "places": [{"_id": f"volunteer:{REF}", "taken": []}],
    }
    assert {name for name, _ in db.asked} == {"matches", "notifications", "places"}
    assert all(len(query) == 1 and "$or" not in query for _, query in db.asked)
    assert db.listed == 0


async def test_a_document_naming_the_subject_by_two_fields_is_exported_once() -> None:
    db = Database()
    db["matches"].docs = [{"_id": "m-1", "family_ref": REF, "subject_ref": REF}]
    rights = ReferencedDocuments(db, refs={"matches": ("family_ref", "subject_ref")})  # type: ignore[arg-type]

    part = await rights.export(AccessRequested(**ASK))  # type: ignore[arg-type]

    assert part == {"matches": [{"_id": "m-1", "family_ref": REF, "subject_ref": REF}]}


async def test_the_start_indexes_each_declared_field_not_already_leading_an_index() -> None:
    db = Database()
    db["notifications"].indexes.append(([("recipient_ref", 1)], {}))  # the notifier's own
    db["matches"].indexes.append(([("family_ref", 1), ("state", 1)], {}))  # leads: enough
    db["waitlist"].indexes.append(([("departement", 1), ("family_ref", 1)], {}))  # does not
    refs = {
        "matches": ("family_ref",),
        "notifications": ("recipient_ref",),
        "waitlist": ("family_ref",),
        "followups": ("family_ref", "volunteer_ref"),
    }
    await ReferencedDocuments(db, refs=refs).ensure_indexes()  # type: ignore[arg-type]

    def led(name: str) -> list[str]:
        return [keys[0][0] for keys, _ in db[name].indexes]

    assert led("matches") == ["_id", "family_ref"]  # nothing added
    assert led("notifications") == ["_id", "recipient_ref"]
    assert led("waitlist") == ["_id", "departement", "family_ref"]
    assert led("followups") == ["_id", "family_ref", "volunteer_ref"]
    assert db.asked == []  # no document read to build them
