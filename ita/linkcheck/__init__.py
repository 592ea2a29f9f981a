"""Link health of published evidence (issue 15): fetch a URL safely, judge it green, amber or red.

check(url, fiscal_year=, policy=) → LinkResult for one URL; check_many(urls, ...) for many, with a
per-host limit. The rules of the verdict: verdict.py. What may be fetched: addresses.py and
SECURITY.md B6. Everything here is pure Python; settings.py builds a Policy from Django settings.
"""

from ita.linkcheck.check import LinkResult, check
from ita.linkcheck.many import check_many
from ita.linkcheck.policy import Policy

__all__ = ["LinkResult", "Policy", "check", "check_many"]
