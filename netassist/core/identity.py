"""Identity normalisation (interim version; the full one lands with the identity work)."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=65536)
def _phone(value: str, region: str) -> str | None:
    import phonenumbers

    digits = re.sub(r"\D", "", value)
    if len(digits) < 5:
        return None
    try:
        num = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return "raw:" + digits
    if not phonenumbers.is_possible_number(num):
        return "raw:" + digits
    return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)


def normalize_identity(kind: str, value: str, default_region: str = "RU") -> str | None:
    v = (value or "").strip()
    if not v or v.lower() in ("(unknown)", "unknown"):
        return None
    if kind in ("phone", "whatsapp"):
        return _phone(v, default_region)
    if kind == "email":
        v = v.removeprefix("mailto:").strip("<> ").casefold()
        return v if "@" in v else None
    if kind == "name":
        return " ".join(v.casefold().replace("ё", "е").split())
    return v.lstrip("@").casefold()
