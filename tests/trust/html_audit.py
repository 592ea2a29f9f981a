"""Checks on rendered HTML that every page should pass: labelled inputs, `lang`, nothing CSP blocks.

Used by test_accessibility.py for the pages that exist now; later pages can call `audit()` too.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Inputs a user never types into or that label themselves (their value is their text).
_UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@dataclass
class Audit:
    lang: str | None = None
    h1_count: int = 0
    controls: list[dict] = field(default_factory=list)  # attrs of inputs, selects, textareas
    label_for: set[str] = field(default_factory=set)
    labelled_by_wrapping: int = 0
    csp_problems: list[str] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    def unlabelled(self) -> list[str]:
        """Controls with no <label for>, no aria-label(ledby), and not wrapped in a label."""
        missing = []
        for attrs in self.controls:
            if attrs.get("_wrapped") or attrs.get("aria-label") or attrs.get("aria-labelledby"):
                continue
            if attrs.get("id") and attrs["id"] in self.label_for:
                continue
            missing.append(attrs.get("name") or attrs.get("id") or "?")
        return missing

    def duplicate_ids(self) -> list[str]:
        return sorted({value for value in self.ids if self.ids.count(value) > 1})


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.audit = Audit()
        self.label_depth = 0

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attr_list}
        if "id" in attrs:
            self.audit.ids.append(attrs["id"])
        self._check_csp(tag, attrs)
        if tag == "html":
            self.audit.lang = attrs.get("lang")
        elif tag == "h1":
            self.audit.h1_count += 1
        elif tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.audit.label_for.add(attrs["for"])
        elif tag == "img" and "alt" not in attrs:
            self.audit.images_without_alt.append(attrs.get("src", "?"))
        elif tag in {"input", "select", "textarea"}:
            if tag == "input" and attrs.get("type", "text") in _UNLABELLED_TYPES:
                return
            self.audit.controls.append({**attrs, "_wrapped": self.label_depth > 0})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.label_depth:
            self.label_depth -= 1

    def _check_csp(self, tag: str, attrs: dict[str, str]) -> None:
        # What `default-src 'self'` without 'unsafe-inline' would silently block in the browser.
        if tag == "script" and "src" not in attrs and attrs.get("type") not in _DATA_SCRIPT_TYPES:
            self.audit.csp_problems.append("inline <script>")
        if tag == "style":
            self.audit.csp_problems.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.audit.csp_problems.append(f'style="…" on <{tag}>')
            elif re.fullmatch(r"on[a-z]+", name):
                self.audit.csp_problems.append(f"{name}= on <{tag}>")
            elif name in {"href", "src", "action"} and value.strip().lower().startswith("javascript:"):
                self.audit.csp_problems.append(f"javascript: URL on <{tag}>")


def audit(html: str) -> Audit:
    """Parse a page and collect what the accessibility and CSP checks need."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.audit
