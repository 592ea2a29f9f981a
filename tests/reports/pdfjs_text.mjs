// Print the text of a PDF as pdf.js (Firefox's reader) extracts it: items joined per page,
// a newline where pdf.js marks an end of line, a form feed between pages.
// Usage: node tests/reports/pdfjs_text.mjs file.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number += 1) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => (item.str ?? "") + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(pages.join("\f"));
