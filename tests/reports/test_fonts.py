"""The PDF fonts: ITA Sarabun is Sarabun plus SARA AM ligatures, built by scripts/build_fonts.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from reports.pdf.render import render_pdf

from . import streams

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "static" / "fonts" / "ita-sarabun"
STYLES = ("Regular", "SemiBold", "Bold", "Italic", "BoldItalic")
BFCHAR = re.compile(rb"<([0-9a-f]{4})> <([0-9a-f]+)>")


def test_committed_fonts_are_what_the_script_builds() -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "scripts" / "build_fonts.py"), "--check"], capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()


def test_every_weight_keeps_sarabuns_lookups_and_adds_the_ligatures_last_in_thai_ccmp() -> None:
    for style in STYLES:
        font = TTFont(FONTS / f"ITASarabun-{style}.ttf")
        gsub = font["GSUB"].table
        lookups = gsub.LookupList.Lookup
        assert len(lookups) == 24, style  # Sarabun's 23, then ours
        (ours,) = lookups[-1].SubTable
        pairs = {
            (first, *ligature.Component): ligature.LigGlyph
            for first, ligs in ours.ligatures.items()
            for ligature in ligs
        }
        assert pairs[("uni0E4D", "uni0E32")] == "uni0E33"
        assert pairs[("uni0E4D0E49", "uni0E32")] == "uni0E490E33"
        assert pairs[("uni0E4D0E48.narrow", "uni0E32")] == "uni0E480E33.narrow"
        (thai,) = [record.Script for record in gsub.ScriptList.ScriptRecord if record.ScriptTag == "thai"]
        ccmp = [gsub.FeatureList.FeatureRecord[i].Feature for i in thai.DefaultLangSys.FeatureIndex]
        assert [f.LookupListIndex for f in ccmp if 23 in f.LookupListIndex] == [[3, 4, 5, 23]], style
        assert font["name"].getDebugName(1).startswith("ITA Sarabun"), style
        assert (FONTS / "OFL.txt").read_bytes() == (ROOT / "static" / "fonts" / "sarabun" / "OFL.txt").read_bytes()


def drawn_texts(pdf: bytes) -> set[str]:
    """The texts of every glyph the PDF draws (WeasyPrint's ToUnicode lists exactly those)."""
    found = set()
    for stream in streams(pdf):
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            found |= {bytes.fromhex(text.decode()).decode("utf-16-be") for _code, text in BFCHAR.findall(block)}
    return found


def test_shaping_joins_sara_am_into_one_glyph_per_character_group() -> None:
    # HarfBuzz splits ำ into ํ + า (ํ moved before a tone); the ligatures join them back, so the
    # PDF draws one glyph for ำ and one for tone + ำ, and never a lone ํ or า here.
    for style in ("", "font-weight: 600", "font-weight: 700", "font-style: italic"):
        pdf = render_pdf(f'<p style="{style}">ต่ำ น้ำ ตำบล ซ้ำ กำหนด</p>')
        assert drawn_texts(pdf) == {"ต", "่ำ", " ", "น", "้ำ", "ำ", "บ", "ล", "ซ", "ก", "ห", "ด"}, style
