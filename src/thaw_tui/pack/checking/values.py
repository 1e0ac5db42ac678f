"""Checks of single values: ids (slugs) and ISO 8601 dates at their precision."""

from __future__ import annotations

import calendar
import re

from thaw_tui.pack.model import ID_MAX_LENGTH, ID_PATTERN, PartialDate

DATE_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
DATE_PATTERN_TEXT = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
MONTH_NAMES = tuple(calendar.month_name)


def is_slug(text: str) -> bool:
    return len(text) <= ID_MAX_LENGTH and ID_PATTERN.match(text) is not None


def bad_id_message(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:ID_MAX_LENGTH].strip("-")
    hint = f" (e.g. '{slug}')" if slug and slug != text else ""
    if len(text) > ID_MAX_LENGTH:
        return f"id is {len(text)} characters long; ids are at most {ID_MAX_LENGTH}{hint}"
    return f"id '{text}' is not a slug: use lower-case a-z, 0-9 and single hyphens{hint}"


def parse_date(text: str) -> tuple[PartialDate | None, str]:
    """An ISO 8601 date at year, month or day precision, or why it is not one."""
    found = DATE_PATTERN.fullmatch(text)
    if found is None:
        return None, (
            f"invalid date '{text}': write it as YYYY, YYYY-MM or YYYY-MM-DD (e.g. \"1945-08-18\")"
        )
    year = int(found.group(1))
    month = int(found.group(2)) if found.group(2) else None
    day = int(found.group(3)) if found.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return None, f"invalid date '{text}': month {found.group(2)} does not exist (use 01-12)"
    if day is not None and month is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return None, (f"impossible date '{text}': {MONTH_NAMES[month]} {year} has {days} days")
    return PartialDate(year, month, day), ""
