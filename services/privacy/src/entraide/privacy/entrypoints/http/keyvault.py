"""The key vault's internal API: services create, fetch and destroy their subjects' keys.

Callers authenticate with a service token (see `entraide.kit.keyvault_client`);
a service reaches only the keys it created. Answers are never cached by intermediaries.
"""

import base64
import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Response
from pydantic import BaseModel, Field

from entraide.contracts.vocab import SubjectKind
from entraide.kit.keyvault_client import KEYS_PATH, KeyDestroyedError, ServiceTokenError
from entraide.privacy.entrypoints.http.deps import ServiceKeysDep, ServiceTokensDep

log = logging.getLogger(__name__)
router = APIRouter(prefix=KEYS_PATH, tags=["key vault (internal)"])
KeyId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{8,128}$")]
GONE = "La clé de ce sujet a été détruite (effacement)."
BATCH_MAX = 1000


class KeyIn(BaseModel):
    subject_ref: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    subject_kind: SubjectKind


class KeyOut(BaseModel):
    key: str = Field(description="The data key, base64.")
    created: bool = False


class BatchKey(BaseModel):
    key_id: KeyId
    subject_ref: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")


class BatchIn(BaseModel):
    subject_kind: SubjectKind
    keys: list[BatchKey] = Field(min_length=1, max_length=BATCH_MAX)


class DestroyIn(BaseModel):
    key_ids: list[KeyId] = Field(min_length=1, max_length=BATCH_MAX)


class DestroyOut(BaseModel):
    destroyed: int = Field(description="How many of the keys held key material.")


class BatchOut(BaseModel):
    keys: dict[str, str] = Field(description="Every live key asked for, base64, by id.")
    created: list[str] = Field(description="The ids whose key this call created.")
    destroyed: list[str] = Field(description="The ids refused: their key was destroyed.")


async def calling_service(
    tokens: ServiceTokensDep, authorization: Annotated[str, Header(include_in_schema=False)] = ""
) -> str:
    """The service named by a valid service token; 401 otherwise."""
    try:
        return tokens.caller(authorization)
    except ServiceTokenError as exc:
        log.warning("key vault call refused", extra={"reason": str(exc)})
        raise HTTPException(401, "Jeton de service invalide.") from None


Service = Annotated[str, Depends(calling_service)]


@router.put("/{key_id}", response_model=KeyOut)
async def create_key(
    key_id: KeyId, body: KeyIn, service: Service, keys: ServiceKeysDep, response: Response
) -> KeyOut:
    """The key `key_id` of the calling service, created on first call (410 once destroyed)."""
    response.headers["Cache-Control"] = "no-store"
    try:
        key, created = await keys.key(
            service, key_id, subject_ref=body.subject_ref, subject_kind=body.subject_kind
        )
    except KeyDestroyedError:
        raise HTTPException(410, GONE) from None
    return KeyOut(key=base64.b64encode(key).decode(), created=created)


@router.post(":batch", response_model=BatchOut)
async def create_keys(
    body: BatchIn, service: Service, keys: ServiceKeysDep, response: Response
) -> BatchOut:
    """Many keys of the calling service at once, each created if missing; an id whose key
    was destroyed is refused (listed in `destroyed`, no key), as the single call's 410."""
    response.headers["Cache-Control"] = "no-store"
    subjects = {k.key_id: k.subject_ref for k in body.keys}
    batch = await keys.keys(service, subjects, subject_kind=body.subject_kind)
    return BatchOut(
        keys={k: base64.b64encode(v).decode() for k, v in batch.keys.items()},
        created=sorted(batch.created),
        destroyed=sorted(batch.destroyed),
    )


@router.post(":destroy", response_model=DestroyOut)
async def destroy_keys(body: DestroyIn, service: Service, keys: ServiceKeysDep) -> DestroyOut:
    """Destroy many keys of the calling service at once (keys it made ahead and did not
    hand out); each keeps its tombstone, as the single call's."""
    return DestroyOut(destroyed=await keys.destroy_many(service, body.key_ids))


@router.get("/{key_id}", response_model=KeyOut)
async def fetch_key(
    key_id: KeyId, service: Service, keys: ServiceKeysDep, response: Response
) -> KeyOut:
    """The key, 404 if unknown, 410 once destroyed."""
    response.headers["Cache-Control"] = "no-store"
    try:
        key = await keys.fetch(service, key_id)
    except KeyDestroyedError:
        raise HTTPException(410, GONE) from None
    if key is None:
        raise HTTPException(404, "Clé inconnue.")
    return KeyOut(key=base64.b64encode(key).decode())


@router.delete("/{key_id}", status_code=204)
async def destroy_key(key_id: KeyId, service: Service, keys: ServiceKeysDep) -> Response:
    """Destroy the key now; the tombstone stays so it is never created again."""
    await keys.destroy(service, key_id)
    return Response(status_code=204)
