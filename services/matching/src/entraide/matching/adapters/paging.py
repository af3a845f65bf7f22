"""One page of a list in the store: the store counts (`count_documents`), sorts by a date
then `_id`, and skips to the page or starts after a mark; only the page's documents are
read (one more, to know whether a page follows). The indexes that serve each list's filter
and sort are created by its adapter (`MatchStore.ensure_indexes`)."""

from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from entraide.matching.domain.paging import Asked, Mark, Page, mark_of, within

Doc = dict[str, Any]


async def paged(
    collection: AsyncCollection[Doc],
    query: Doc,
    by: str,
    shown: Doc,
    asked: Asked,
    *,
    latest_first: bool = False,
) -> Page:
    """The page `asked` of the documents in `query` ordered by `by` then `_id` (both
    descending if `latest_first`)."""
    total = await collection.count_documents(query)
    number = within(asked.number, total, asked.size)
    way = DESCENDING if latest_first else ASCENDING
    sort = [(by, way), ("_id", way)]
    if asked.after is not None:
        beyond = after(by, asked.after, latest_first=latest_first)
        found = collection.find({"$and": [query, beyond]}, shown).sort(sort)
        number = 1  # a cursor's page has no number: the API does not say it
    else:
        found = collection.find(query, shown).sort(sort).skip((number - 1) * asked.size)
    docs = await found.limit(asked.size + 1).to_list()
    more = len(docs) > asked.size
    docs = docs[: asked.size]
    following = mark_of(docs[-1], by) if more else None
    return Page(docs, total, number, asked.size, following)


def after(by: str, mark: Mark, *, latest_first: bool = False) -> Doc:
    """The documents after the mark in the order (`by`, `_id`), or its reverse."""
    beyond = "$lt" if latest_first else "$gt"
    return {"$or": [{by: {beyond: mark.at}}, {by: mark.at, "_id": {beyond: mark.id}}]}
