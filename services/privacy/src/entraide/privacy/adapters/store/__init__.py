"""Privacy's MongoDB adapter: the one place that knows the documents and the filters.

Collections: `subjects` (the registry), `erased` (tombstones), `statistics` (anonymous
counts) in `subjects.py`; `cases` in `cases.py`; `notices` and `audit` in `trail.py`. The
key vault (`adapters/vault.py`, `keys`) is apart.

Lookups go by `_id` wherever they can: MongoDB answers them by index, and the local
store (mongo-java-server) uses its `_id` index only when the filter names nothing else;
any other filter scans the collection there.
"""

from entraide.privacy.adapters.store.cases import MongoCases
from entraide.privacy.adapters.store.subjects import MongoSubjects
from entraide.privacy.adapters.store.trail import MongoAudit, MongoNotices

__all__ = ["MongoAudit", "MongoCases", "MongoNotices", "MongoSubjects"]
