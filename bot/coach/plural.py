"""Texts that change with a number ("once", "2 times"): one form per plural category.

Categories are CLDR's (zero, one, two, few, many, other), chosen for the number by Babel's plural
rules, so a second language brings its own forms and no code changes. A text with forms is written
in the YAML as a mapping naming the field whose number picks the form::

    review_soreness:
      by: count
      one: "Very sore once."
      other: "Very sore {count} times."
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:  # imported with the first plural text filled in: the bot starts without it (4 MiB)
    from babel import Locale

LOCALE = "en"  # the language the content is written in


class Plural(BaseModel):
    """One text in its plural forms; ``other`` is required, as CLDR requires it of every language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    by: str
    zero: str | None = None
    one: str | None = None
    two: str | None = None
    few: str | None = None
    many: str | None = None
    other: str

    def forms(self) -> tuple[str, ...]:
        """Every form written, for checking their placeholders."""
        written = (self.zero, self.one, self.two, self.few, self.many, self.other)
        return tuple(form for form in written if form is not None)

    def form(self, number: int | float, locale: str = LOCALE) -> str:
        """The form the language uses for ``number``; ``other`` where no own form is written."""
        category = _locale(locale).plural_form(number)
        chosen: str | None = getattr(self, category, None)
        return chosen if chosen is not None else self.other


Text = str | Plural


@cache
def _locale(name: str) -> Locale:
    from babel import Locale

    return Locale.parse(name)


def fill(text: Text, fields: Mapping[str, object]) -> str:
    """``text`` with its placeholders filled in, in the form its number asks for."""
    if isinstance(text, Plural):
        number = fields.get(text.by)
        if isinstance(number, str) and number.isascii() and number.isdigit():
            number = int(number)  # the coach core hands its numbers over as text
        if not isinstance(number, int | float):
            raise TypeError(f"plural text needs a number in '{text.by}', got {number!r}")
        return text.form(number).format_map(fields)
    return text.format_map(fields)


def forms_of(text: Text) -> tuple[str, ...]:
    """Every written form of ``text`` (a plain text is its one form)."""
    return text.forms() if isinstance(text, Plural) else (text,)
