"""Mask the personal data readers type into text that editors publish or list.

Readers paste card numbers, IBANs, their e-mail address or phone number into a question
"so the company can find my account". None of it belongs on a public page: each is replaced
by dots and its last few characters (`•••• 1111`), enough for the reader to recognise it.
Only what passes a real check is masked (the Luhn sum of a card, the mod-97 of an IBAN, a
number valid for its country), so "25 steps", "14 days" or an order number stay as they are.
"""

import re

import phonenumbers

DOTS = "••••"

# 13 to 19 digits, optionally grouped by single spaces or hyphens.
_CARD = re.compile(r"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])")
# Two letters, two check digits, then 11 to 30 letters or digits, optionally in groups.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Where a guide's readers most likely dial from: numbers written without +country.
_REGIONS = {"fr": "FR", "en": "GB"}
_MORE_REGIONS = ("FR", "GB", "US")


def _digits(text):
    return re.sub(r"\D", "", text)


def _luhn_valid(number):
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _iban_valid(candidate):
    iban = re.sub(r"\s", "", candidate).upper()
    rearranged = iban[4:] + iban[:4]
    as_number = "".join(str(int(char, 36)) for char in rearranged)
    return int(as_number) % 97 == 1


def _mask_cards(text):
    def replace(match):
        number = _digits(match.group())
        return f"{DOTS} {number[-4:]}" if _luhn_valid(number) else match.group()

    return _CARD.sub(replace, text)


def _mask_ibans(text):
    def replace(match):
        candidate = match.group()
        # The pattern may run on into a following word in capitals or a number: the IBAN is
        # the longest start of the match that passes its check.
        for end in range(len(candidate), 14, -1):
            if candidate[end - 1] != " " and _iban_valid(candidate[:end]):
                compact = re.sub(r"\s", "", candidate[:end])
                return f"{compact[:2]}{DOTS} {compact[-4:]}{candidate[end:]}"
        return candidate

    return _IBAN.sub(replace, text)


def _mask_emails(text):
    return _EMAIL.sub(f"{DOTS}@{DOTS}", text)


def _mask_phones(text, language):
    regions = [_REGIONS.get(language, "GB")] + list(_MORE_REGIONS)
    for region in dict.fromkeys(regions):
        spans = [
            (match.start, match.end)
            for match in phonenumbers.PhoneNumberMatcher(
                text, region, leniency=phonenumbers.Leniency.VALID
            )
        ]
        for start, end in reversed(spans):
            digits = _digits(text[start:end])
            text = f"{text[:start]}{DOTS} {digits[-2:]}{text[end:]}"
    return text


def mask_personal_data(text, language="en"):
    """The text with card numbers, IBANs, e-mail addresses and phone numbers masked."""
    if not text:
        return text
    # Cards and IBANs first: a phone matcher would otherwise take a run of their digits.
    text = _mask_cards(text)
    text = _mask_ibans(text)
    text = _mask_emails(text)
    return _mask_phones(text, language)
