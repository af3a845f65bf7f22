"""What the observatory's routes ask for, by type (`app.py` provides each once)."""

from typing import Annotated

from fastapi import Depends

from entraide.kit.deps import provided
from entraide.kit.pages import Pages
from entraide.observatory.usecases.publish import Observatory

ObservatoryDep = Annotated[Observatory, Depends(provided(Observatory))]
PagesDep = Annotated[Pages, Depends(provided(Pages))]
