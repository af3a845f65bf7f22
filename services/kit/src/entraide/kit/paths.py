"""What of a request's address may be written down, in a log line or a span: the path,
without the query string (a search's query holds names and phone numbers), and without
the credential a few paths carry as a segment of their own.

Those are links that open a person's data without signing in: privacy's link to the copy
of her data (`/vos-droits/export/<token>`, and its `donnees.json`) is valid seven days,
and anyone reading the logs could have opened it. The segment is written « … »: the line
still says which page was read, and when.
"""

# the prefixes whose next segment is a credential (privacy's `public_rights` routes)
CREDENTIAL_AFTER = ("/vos-droits/export/",)
HIDDEN = "…"


def loggable(address: str) -> str:
    """`address` (a path or a whole URL) without its query string and its credential."""
    address = address.split("?", 1)[0]
    for prefix in CREDENTIAL_AFTER:
        at = address.find(prefix)
        if at < 0:
            continue
        start = at + len(prefix)
        end = address.find("/", start)
        address = address[:start] + HIDDEN + (address[end:] if end >= 0 else "")
    return address
