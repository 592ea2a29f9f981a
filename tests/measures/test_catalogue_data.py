"""The recommendation catalogue, the measure library and the indicator texts (fixtures/catalogue/*.json).

Plain pytest over the JSON files and the framework fixtures: no database, no Django models. The loader that
turns these files into rows is tested elsewhere; here we hold the data to its contract.
"""

import json
import os
import re
import string
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from pythainlp.tokenize import word_tokenize

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "fixtures" / "catalogue"
FRAMEWORKS = ROOT / "fixtures" / "frameworks"
# The reference documents live beside the repository, not in it; CI may point elsewhere.
SEEDS = Path(os.environ.get("ITA_SEEDS_DIR", ROOT.parent / "shared" / "reference" / "seeds"))

RECOMMENDATION_YEARS = (2564, 2565, 2566, 2567, 2568)
LIBRARY_YEARS = (2564, 2565, 2566, 2567, 2568, 2569)
RESPONSIBLE = {"สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "ทุกสำนัก/กอง"}
ISSUE_OPENING = {"i": "บุคลากรบางส่วน", "e": "ผู้รับบริการบางราย", "o": "หน่วยงานยังเผยแพร่ข้อมูล"}
SHINGLE = 12
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
PUNCTUATION = set(string.punctuation) | {"“", "”", "‘", "’", "–", "—", "…", "•", "○"}


def _reject_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    duplicated = sorted(key for key, count in Counter(keys).items() if count > 1)
    if duplicated:
        raise ValueError(f"duplicate keys: {duplicated}")
    return dict(pairs)


@cache
def catalogue(name: str) -> dict:
    with open(CATALOGUE / name, encoding="utf-8") as fh:
        return json.load(fh, object_pairs_hook=_reject_duplicate_keys)


@cache
def items(year: int) -> dict[str, dict]:
    """Item code -> fields, from the framework fixture of that year."""
    with open(FRAMEWORKS / f"ita_{year}.json", encoding="utf-8") as fh:
        records = json.load(fh)
    return {r["fields"]["code"]: r["fields"] for r in records if r["model"] == "ita.item"}


def recommendations(year: int) -> dict[str, dict]:
    return catalogue("recommendations.json")["years"][str(year)]


def measures() -> list[dict]:
    return catalogue("measures.json")["measures"]


# --- recommendations.json ------------------------------------------------------------------------------------


def test_recommendations_file_has_its_version_and_only_the_assessed_years():
    data = catalogue("recommendations.json")
    assert data["version"] == 1
    assert set(data["years"]) == {str(year) for year in RECOMMENDATION_YEARS}


@pytest.mark.parametrize("year", RECOMMENDATION_YEARS)
def test_every_item_of_the_year_has_a_recommendation_and_no_unknown_code_does(year):
    assert set(recommendations(year)) == set(items(year))


@pytest.mark.parametrize("year", RECOMMENDATION_YEARS)
def test_issue_and_action_are_filled_and_fit_the_printed_sentence(year):
    # The app prints "ข้อ E1 ประเด็น <issue> ดังนั้น หน่วยงานควร<action>": neither half may repeat its lead-in.
    for code, entry in recommendations(year).items():
        assert set(entry) == {"issue", "action"}, code
        issue, action = entry["issue"], entry["action"]
        assert issue.strip() and action.strip(), code
        assert issue == issue.strip() and action == action.strip(), code
        assert not issue.startswith("ประเด็น"), code
        assert not action.startswith("หน่วยงานควร"), code
        assert not action.startswith("ควร"), code
        assert "ดังนั้น" not in issue + action, code


@pytest.mark.parametrize("year", RECOMMENDATION_YEARS)
def test_issue_speaks_for_the_respondents_of_its_tool(year):
    for code, entry in recommendations(year).items():
        assert entry["issue"].startswith(ISSUE_OPENING[code[0]]), code
        if code.startswith("o"):
            assert "ไม่ครบถ้วนตามเกณฑ์" in entry["issue"], code


@pytest.mark.parametrize("year", RECOMMENDATION_YEARS)
def test_reverse_scored_items_describe_the_behaviour_respondents_reported(year):
    reversed_codes = [code for code, fields in items(year).items() if fields["reverse_scored"]]
    for code in reversed_codes:
        issue = recommendations(year)[code]["issue"]
        assert "รับรู้ว่ามี" in issue or "เคย" in issue, code


@pytest.mark.parametrize("year", RECOMMENDATION_YEARS)
@pytest.mark.parametrize("field", ["issue", "action"])
def test_no_two_items_of_a_year_share_a_text(year, field):
    texts = Counter(entry[field] for entry in recommendations(year).values())
    assert [text for text, count in texts.items() if count > 1] == []


def test_years_with_the_same_layout_share_their_texts():
    # 2565 repeats the 2564 catalogue and 2567 repeats 2566 (FRAMEWORK.md §4), so advice must not drift.
    assert recommendations(2565) == recommendations(2564)
    assert recommendations(2567) == recommendations(2566)


# --- measures.json -------------------------------------------------------------------------------------------


def _responsible_is_valid(value: str) -> bool:
    parts = value.split(" / ")
    return 1 <= len(parts) <= 2 and len(set(parts)) == len(parts) and set(parts) <= RESPONSIBLE


def _fiscal_position(month: int) -> int:
    """October is the first month of the Thai fiscal year, September the last."""
    return (month - 10) % 12


def _period_is_valid(period: dict) -> bool:
    if period == {"kind": "whole_year"}:
        return True
    if set(period) != {"kind", "start", "end"} or period["kind"] != "months":
        return False
    if not all(isinstance(period[k], int) and 1 <= period[k] <= 12 for k in ("start", "end")):
        return False
    # A range may wrap the calendar year (10 -> 3) but must not run past September into the next fiscal year.
    return _fiscal_position(period["start"]) <= _fiscal_position(period["end"])


@pytest.mark.parametrize(
    ("period", "valid"),
    [
        ({"kind": "whole_year"}, True),
        ({"kind": "months", "start": 10, "end": 3}, True),
        ({"kind": "months", "start": 4, "end": 9}, True),
        ({"kind": "months", "start": 8, "end": 10}, False),
        ({"kind": "months", "start": 0, "end": 3}, False),
        ({"kind": "months", "start": 1}, False),
        ({"kind": "weeks", "start": 1, "end": 2}, False),
    ],
)
def test_period_rule(period, valid):
    assert _period_is_valid(period) is valid


def test_library_is_big_enough_and_keys_are_unique_slugs():
    keys = [measure["key"] for measure in measures()]
    assert catalogue("measures.json")["version"] == 1
    assert len(keys) >= 40
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key) for key in keys)


def test_each_measure_has_the_five_columns_filled():
    fields = {"key", "title", "steps", "responsible", "period", "monitoring", "indicators", "items"}
    for measure in measures():
        assert set(measure) == fields, measure["key"]
        assert measure["title"].strip() and measure["monitoring"].strip(), measure["key"]
        assert 3 <= len(measure["steps"]) <= 6, measure["key"]
        assert all(isinstance(step, str) and step.strip() for step in measure["steps"]), measure["key"]
        assert len(set(measure["steps"])) == len(measure["steps"]), measure["key"]
        assert _responsible_is_valid(measure["responsible"]), measure["key"]
        assert _period_is_valid(measure["period"]), measure["key"]


def test_titles_are_distinct():
    titles = [measure["title"] for measure in measures()]
    assert len(titles) == len(set(titles))


def test_library_item_codes_exist_in_that_years_framework():
    for measure in measures():
        # Keep-level measures (key "keep-…") answer indicators an organisation already does well on, not items.
        assert measure["items"] or measure["key"].startswith("keep-"), measure["key"]
        for year, codes in measure["items"].items():
            assert int(year) in LIBRARY_YEARS, (measure["key"], year)
            assert codes and len(codes) == len(set(codes)), (measure["key"], year)
            unknown = set(codes) - set(items(int(year)))
            assert not unknown, (measure["key"], year, sorted(unknown))


def test_indicators_are_the_ones_the_measures_items_belong_to():
    for measure in measures():
        indicators = measure["indicators"]
        assert indicators == sorted(set(indicators)) and set(indicators) <= set(range(1, 11)), measure["key"]
        used = {items(int(year))[code]["indicator"][2] for year, codes in measure["items"].items() for code in codes}
        assert used <= set(indicators), measure["key"]


def test_every_indicator_is_answered_by_at_least_two_measures():
    coverage = Counter(number for measure in measures() for number in measure["indicators"])
    assert {number: coverage[number] for number in range(1, 11) if coverage[number] < 2} == {}


@pytest.mark.parametrize("year", LIBRARY_YEARS)
def test_the_measures_item_and_its_follow_up_are_answered_every_year(year):
    answered = {code for measure in measures() for code in measure["items"].get(str(year), [])}
    flagged = {code for code, f in items(year).items() if f["is_measures_item"] or f["is_followup_item"]}
    assert len(flagged) == 2
    assert flagged <= answered


@pytest.mark.parametrize("year", RECOMMENDATION_YEARS)
def test_every_item_of_an_assessed_year_has_a_library_measure(year):
    # A low question with no measure to pre-fill leaves the user an empty row; 2569 is exempt (wording unknown).
    answered = {code for measure in measures() for code in measure["items"].get(str(year), [])}
    assert sorted(set(items(year)) - answered) == []


# --- indicator_texts.json ------------------------------------------------------------------------------------


def test_indicator_texts_cover_the_ten_indicators():
    data = catalogue("indicator_texts.json")
    assert data["version"] == 1
    assert set(data["indicators"]) == {str(number) for number in range(1, 11)}


@pytest.mark.parametrize("number", [str(n) for n in range(1, 11)])
def test_indicator_templates_take_the_threshold_and_do_not_repeat_the_heading(number):
    # indicator_paragraph already opens with "ตัวชี้วัดที่ ๗ <name> ได้คะแนน <score> คะแนน"; the template goes on from there.
    entry = catalogue("indicator_texts.json")["indicators"][number]
    assert set(entry) == {"measures", "strength", "weakness"}
    assert entry["measures"].strip()
    for key in ("strength", "weakness"):
        fields = {name for _, name, _, _ in string.Formatter().parse(entry[key]) if name is not None}
        assert "threshold" in fields and fields <= {"score", "threshold"}, key
        assert not entry[key].startswith("ตัวชี้วัดที่"), key
        assert "๘๕" in entry[key].format(score="๘๔.๙๙", threshold="๘๕")


def test_strength_and_weakness_texts_differ_across_indicators():
    texts = [e[k] for e in catalogue("indicator_texts.json")["indicators"].values() for k in ("strength", "weakness")]
    assert len(texts) == len(set(texts))


# --- no copied prose -----------------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    # PDF extraction breaks Thai words with stray spaces, so spacing is dropped before cutting words.
    text = unicodedata.normalize("NFC", text).translate(THAI_DIGITS)
    text = re.sub(r"\s+", "", text)
    return [tok for tok in word_tokenize(text) if tok.strip() and not set(tok) <= PUNCTUATION]


def _shingles(text: str) -> set[tuple[str, ...]]:
    toks = _tokens(text)
    return {tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1)}


@cache
def _seed_shingles() -> frozenset:
    found: set = set()
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found |= _shingles(line)
    return frozenset(found)


@cache
def _question_shingles() -> frozenset:
    # Quoting a question's own wording is allowed: it is the item, not someone's prose.
    found: set = set()
    for path in sorted(FRAMEWORKS.glob("ita_*.json")):
        for fields in items(int(path.stem.split("_")[1])).values():
            found |= _shingles(fields["text"])
    return frozenset(found)


def _our_texts() -> list[tuple[str, str]]:
    texts = []
    for year in RECOMMENDATION_YEARS:
        for code, entry in recommendations(year).items():
            texts += [(f"{year} {code} issue", entry["issue"]), (f"{year} {code} action", entry["action"])]
    for measure in measures():
        parts = [measure["title"], measure["monitoring"], *measure["steps"]]
        texts += [(f"measure {measure['key']}", part) for part in parts]
    for number, entry in catalogue("indicator_texts.json")["indicators"].items():
        texts += [(f"indicator {number} {key}", value) for key, value in entry.items()]
    return texts


def _copied(text: str) -> set[tuple[str, ...]]:
    return (_shingles(text) & _seed_shingles()) - _question_shingles()


needs_seeds = pytest.mark.skipif(not any(SEEDS.glob("*.txt")), reason=f"reference seeds not found in {SEEDS}")


@needs_seeds
def test_the_copy_guard_catches_a_sentence_lifted_from_a_seed():
    # Guard the guard: a long seed line, re-spaced, must be flagged.
    lines = [line for path in SEEDS.glob("*.txt") for line in path.read_text(encoding="utf-8").splitlines()]
    longest = max(lines, key=len)
    assert _copied(" ".join(longest.split()))
    assert not _copied("หน่วยงานควรจัดทำคู่มือการยืมทรัพย์สินและตรวจทะเบียนทุกเดือน")


@needs_seeds
def test_no_text_repeats_twelve_consecutive_words_of_the_seeds():
    copied = {label: [" ".join(s) for s in hits] for label, text in _our_texts() if (hits := _copied(text))}
    assert copied == {}
