"""Fields two services ask people for the same way, checked the same way: intake's
family door and staff form, directory's volunteer application."""

from typing import Annotated

from pydantic import Field

# a French number, 10 digits (or +33 and 9), spaces between pairs allowed: « 06 12 34 56
# 78 », « 0612345678 », « +33 6 12 34 56 78 »
Phone = Annotated[str, Field(pattern=r"^(\+33|0)[1-9](\s?\d{2}){4}$", examples=["06 12 34 56 78"])]
