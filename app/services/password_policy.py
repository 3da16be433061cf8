"""Which new passwords are refused, and why: pure rules.

Length first (at least 12 characters, at most 256), then what a guesser tries first: the
product's name, the person's own name and e-mail address, and common and leaked
passwords. For the last, zxcvbn estimates how many guesses a password takes, using the
lists it ships (about 30,000 of the most common leaked passwords, names and English
words; nothing is fetched at run time); a password scoring below 3 of 4 ("safely
unguessable: moderate protection from offline slow-hash scenario") is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3
PRODUCT_NAMES = ("hireladder", "hire ladder", "hire-ladder")


def _words(text: str) -> list[str]:
    """The parts of a name or e-mail address a person might build a password from."""
    return [w for w in re.split(r"[^0-9a-z]+", text.lower()) if len(w) >= 3]


def password_problem(password: str, *, personal: Iterable[str] = ()) -> str | None:
    """Why ``password`` is not acceptable as a new password, or None.

    ``personal``: the account's e-mail address and display name.
    """
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    squashed = re.sub(r"[^0-9a-z]+", "", lowered)
    if any(name.replace(" ", "").replace("-", "") in squashed for name in PRODUCT_NAMES):
        return "Do not build your password on the product's name."
    personal = [p for p in personal if p]
    words = sorted({w for p in personal for w in _words(p)}, key=len, reverse=True)
    for text in personal:
        if len(text) >= 4 and text.lower() in lowered:
            return "Do not use your own name or e-mail address in your password."
    for word in words:
        if len(word) >= 4 and word in squashed:
            return "Do not use your own name or e-mail address in your password."
    result = zxcvbn(password, user_inputs=[*PRODUCT_NAMES, *personal, *words])
    if result["score"] < MIN_SCORE:
        warning = result["feedback"].get("warning") or ""
        hint = f" ({warning.rstrip('.')})" if warning else ""
        return (
            f"This password is too easy to guess{hint}. Use a longer phrase of several "
            "unrelated words, or a password manager's random password."
        )
    return None
