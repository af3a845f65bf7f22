"""What privacy's routes ask for, by type (`app.py` provides each once)."""

from typing import Annotated

from fastapi import Depends

from entraide.kit.deps import provided
from entraide.kit.pages import Pages
from entraide.privacy.entrypoints.http.tokens import ServiceTokens
from entraide.privacy.usecases.cases import Rights
from entraide.privacy.usecases.keys import ServiceKeys
from entraide.privacy.usecases.officer import Privacy

PrivacyDep = Annotated[Privacy, Depends(provided(Privacy))]
RightsDep = Annotated[Rights, Depends(provided(Rights))]
PagesDep = Annotated[Pages, Depends(provided(Pages))]
ServiceKeysDep = Annotated[ServiceKeys, Depends(provided(ServiceKeys))]
ServiceTokensDep = Annotated[ServiceTokens, Depends(provided(ServiceTokens))]
