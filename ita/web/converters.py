"""<org_code:code> in URL patterns: organisation codes in paths (SECURITY.md B3).

A code of the documented character set (ita.models.organizations.CODE_CHARSET) is its own URL
segment. A code stored before that rule (a database migrated with offenders, ita migration 0011)
still gets a working link, written as "~" and the hex of its UTF-8 bytes, so that reverse() never
fails on stored data and no page that lists organisations breaks. Anything else in that segment
answers 404 without a query.
"""

from __future__ import annotations

import re
import unicodedata

from ita.models.organizations import CODE_CHARSET, Organization

CODE_MAX = Organization._meta.get_field("code").max_length
# At most four UTF-8 bytes per character of an old code.
_ENCODED_MAX_BYTES = CODE_MAX * 4
ENCODED_PREFIX = "~"
_PLAIN = re.compile(rf"{CODE_CHARSET}{{1,{CODE_MAX}}}")


class OrganizationCodeConverter:
    regex = rf"{CODE_CHARSET}{{1,{CODE_MAX}}}|{ENCODED_PREFIX}(?:[0-9a-f]{{2}}){{1,{_ENCODED_MAX_BYTES}}}"

    def to_python(self, value: str) -> str:
        if not value.startswith(ENCODED_PREFIX):
            return value
        # ValueError (bad UTF-8, a control character) makes the pattern not match: the answer is 404.
        code = bytes.fromhex(value[len(ENCODED_PREFIX) :]).decode("utf-8")
        if any(unicodedata.category(char) == "Cc" for char in code):
            raise ValueError("a control character in an organisation code")
        return code

    def to_url(self, value: object) -> str:
        code = str(value)
        if _PLAIN.fullmatch(code):
            return code
        return ENCODED_PREFIX + code.encode("utf-8").hex()
