"""Korean phone formats (010-1234-5678) for display and for checking numbers."""
from __future__ import annotations

import phonenumbers
from phonenumber_field.phonenumber import PhoneNumber


def phone_format(number: PhoneNumber | str | None) -> str:
    if not number:
        return ""
    try:
        parsed = number if isinstance(number, PhoneNumber) else PhoneNumber.from_string(str(number), region="KR")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        return str(number)


def is_korean_mobile(number: PhoneNumber | str | None) -> bool:
    """True for 010-style mobiles: SMS is only sent to these."""
    if not number:
        return False
    try:
        parsed = number if isinstance(number, PhoneNumber) else PhoneNumber.from_string(str(number), region="KR")
    except phonenumbers.NumberParseException:
        return False
    return (
        parsed.country_code == 82
        and phonenumbers.is_valid_number(parsed)
        and phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
    )


def phone_parse(text: str) -> str | None:
    """A full Korean number in any usual format (010-1234-5678, 01012345678, +82 10…) as stored (E.164)."""
    try:
        number = PhoneNumber.from_string(text, region="KR")
    except phonenumbers.NumberParseException:
        return None
    return number.as_e164 if number.is_valid() else None
