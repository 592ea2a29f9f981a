"""Accessibility basics a flow can check on the page it is looking at (issue 6: labels, language).

These are the mistakes a template makes silently: an input no label names, an aria-describedby
pointing at an id that is not on the page (screen readers then read no hint or error), a page
without lang="th" (read with an English voice).
"""

# Runs in the page. Hidden inputs, and elements inside something hidden, are not announced, so skipped.
_PROBLEMS_JS = """
() => {
  const problems = [];
  if (document.documentElement.lang !== "th") problems.push(`<html lang="${document.documentElement.lang}">`);
  const describe = (el) => el.outerHTML.slice(0, 120);
  for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby], label[for]")) {
    const ids = [el.getAttribute("aria-describedby"), el.getAttribute("aria-labelledby"), el.getAttribute("for")]
      .filter(Boolean).join(" ").split(/\\s+/).filter(Boolean);
    for (const id of ids) {
      if (!document.getElementById(id)) problems.push(`no element with id "${id}" for ${describe(el)}`);
    }
  }
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || el.closest("[hidden]")) continue;
    const named = el.labels.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (!named) problems.push(`no label for ${describe(el)}`);
  }
  return problems;
}
"""


def accessibility_problems(page) -> list[str]:
    """What is wrong with the current page's labels, references and language; empty when nothing is."""
    return page.evaluate(_PROBLEMS_JS)


def assert_accessible_basics(page) -> None:
    """Fail with every problem found on the current page (see accessibility_problems)."""
    problems = accessibility_problems(page)
    assert not problems, f"{page.url}: " + "; ".join(problems)
