"""Build the PDF fonts (static/fonts/ita-sarabun/) from the bundled Sarabun (static/fonts/sarabun/).

    .venv/bin/python scripts/build_fonts.py          # rewrite the built fonts
    .venv/bin/python scripts/build_fonts.py --check  # exit 1 if the committed fonts differ

Why: HarfBuzz's Thai shaper splits SARA AM (ำ) into NIKHAHIT + SARA AA and moves the nikhahit
before a preceding tone mark; Sarabun's own GSUB then joins nikhahit + tone into composites
such as ``uni0E4D0E48``. A three-character cluster like "น้ำ" is then drawn with more glyphs
than characters, and a PDF reader that only reads the per-glyph ToUnicode map (pdf.js,
pdfminer.six, pypdf) cannot spell it back. This script APPENDS one ligature lookup to
Sarabun's GSUB, run last in the Thai ``ccmp`` feature (Sarabun's own lookups for tone
lowering and narrow variants still run first):

- ``uni0E4D`` + ``uni0E32`` → the font's own ``uni0E33`` (ำ);
- ``uni0E4D.narrow`` + ``uni0E32`` → new ``uni0E33.narrow``;
- each nikhahit + tone composite (and its ``.narrow`` form) + ``uni0E32`` → a new composite
  named after tone + ำ (``uni0E480E33`` …), drawn exactly as the two glyphs it replaces.

Every new glyph is a composite of existing outlines, so nothing is redrawn. The family is renamed
"ITA Sarabun" (the bundled OFL.txt declares no Reserved Font Name; the licence travels with the
files, as OFL condition 2 asks). The output is deterministic (timestamps kept), so ``--check``
can compare bytes; tests/reports/test_fonts.py runs it.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from fontTools.otlLib.builder import buildLigatureSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "static" / "fonts" / "sarabun"
TARGET = ROOT / "static" / "fonts" / "ita-sarabun"
STYLES = ("Regular", "SemiBold", "Bold", "Italic", "BoldItalic")
FAMILY, PS_FAMILY = "ITA Sarabun", "ITASarabun"

NIKHAHIT, SARA_AA, SARA_AM = "uni0E4D", "uni0E32", "uni0E33"
TONES = ("0E48", "0E49", "0E4A", "0E4B")


def _flat_components(glyf: object, name: str, dx: int = 0, dy: int = 0) -> list[tuple[str, int, int, int]]:
    """``name`` as a list of (simple glyph, x, y, flags), resolving nested composites."""
    glyph = glyf[name]
    if not glyph.isComposite():
        return [(name, dx, dy, 0x4)]  # ROUND_XY_TO_GRID, as fontTools writes components
    flat = []
    for component in glyph.components:
        flat.extend(_flat_components(glyf, component.glyphName, dx + component.x, dy + component.y))
    return flat


def _composite(parts: list[tuple[str, int, int, int]]) -> Glyph:
    glyph = Glyph()
    glyph.numberOfContours = -1
    glyph.components = []
    for name, x, y, flags in parts:
        component = GlyphComponent()
        component.glyphName, component.x, component.y, component.flags = name, x, y, flags
        glyph.components.append(component)
    return glyph


def _ligatures(font: TTFont) -> dict[tuple[str, str], str]:
    """The ligatures to append, adding the new composite glyphs to ``font`` on the way."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    aa_advance = hmtx[SARA_AA][0]
    new_glyphs: dict[str, list[tuple[str, int, int, int]]] = {}
    ligatures = {(NIKHAHIT, SARA_AA): SARA_AM}
    for suffix in ("", ".narrow"):
        for tone in ("", *TONES):
            mark = f"{NIKHAHIT}{tone}{suffix}" if tone else f"{NIKHAHIT}{suffix}"
            if (mark, SARA_AA) in ligatures or mark not in glyf:
                continue
            name = f"uni{tone}0E33{suffix}" if tone else f"{SARA_AM}{suffix}"
            new_glyphs[name] = [(SARA_AA, 0, 0, 0x4), *_flat_components(glyf, mark)]
            ligatures[(mark, SARA_AA)] = name
    order = font.getGlyphOrder() + sorted(new_glyphs)
    font.setGlyphOrder(order)
    gdef = font["GDEF"].table.GlyphClassDef.classDefs
    for name, parts in new_glyphs.items():
        glyf[name] = _composite(parts)
        glyf[name].recalcBounds(glyf)
        hmtx[name] = (aa_advance, glyf[name].xMin)
        gdef[name] = 1  # a base glyph, like uni0E33
    font["maxp"].numGlyphs = len(order)
    return ligatures


def _append_lookup(font: TTFont, ligatures: dict[tuple[str, str], str]) -> None:
    """Append one LigatureSubst lookup and run it last in every ccmp feature the Thai script uses."""
    gsub = font["GSUB"].table
    lookup = otTables.Lookup()
    lookup.LookupType, lookup.LookupFlag = 4, 0
    lookup.SubTable = [buildLigatureSubstSubtable(ligatures)]
    lookup.SubTableCount = 1
    gsub.LookupList.Lookup.append(lookup)
    gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
    index = len(gsub.LookupList.Lookup) - 1
    (thai,) = [record.Script for record in gsub.ScriptList.ScriptRecord if record.ScriptTag == "thai"]
    for langsys in [thai.DefaultLangSys, *(record.LangSys for record in thai.LangSysRecord)]:
        for feature_index in langsys.FeatureIndex:
            record = gsub.FeatureList.FeatureRecord[feature_index]
            if record.FeatureTag == "ccmp" and index not in record.Feature.LookupListIndex:
                record.Feature.LookupListIndex.append(index)
                record.Feature.LookupCount = len(record.Feature.LookupListIndex)


def _rename(font: TTFont) -> None:
    for record in font["name"].names:
        text = record.toUnicode()
        if record.nameID in (1, 4, 16, 18, 21):
            record.string = text.replace("Sarabun", FAMILY)
        elif record.nameID in (3, 6, 20):
            record.string = text.replace("Sarabun", PS_FAMILY)
        elif record.nameID == 5:
            record.string = f"{text}; ITA build: SARA AM ligatures (scripts/build_fonts.py)"
        elif record.nameID == 0:
            record.string = f"{text}. Modified by the ITA project: GSUB ligatures for SARA AM."


def build(style: str) -> bytes:
    font = TTFont(SOURCE / f"Sarabun-{style}.ttf", recalcTimestamp=False)
    _append_lookup(font, _ligatures(font))
    _rename(font)
    if "DSIG" in font:
        del font["DSIG"]
    font["post"].formatType = 2.0  # keep glyph names: the text layer reads them back
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def target_files() -> dict[Path, bytes]:
    files = {TARGET / f"{PS_FAMILY}-{style}.ttf": build(style) for style in STYLES}
    files[TARGET / "OFL.txt"] = (SOURCE / "OFL.txt").read_bytes()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()
    files = target_files()
    if args.check:
        stale = [path.name for path, data in files.items() if not path.exists() or path.read_bytes() != data]
        if stale:
            print(f"Out of date (run scripts/build_fonts.py): {', '.join(stale)}", file=sys.stderr)
            return 1
        return 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
