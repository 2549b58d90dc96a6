// Lay out EPUB content documents on a phone's screen in Debian's Chromium (puppeteer-core) and
// write what passes its edge: 320 CSS px wide, the reading system's font size at each SCALE
// (set on the root, as reading systems do), without and with the WCAG 1.4.12 text spacing.
// Used by tests/writers/test_epub_first_screen.py and test_epub_reflow.py.
//   node epub_reflow.mjs RESULT.json PNG_DIR DOC.xhtml...
// RESULT: {doc: {"150%" or "150%+spacing": {width, out: ["TAG.class "text" left..right"],
//                                           phones: [[text, lines it takes]]}}};
// a full-page PNG of each document at 200 % with the spacing goes to PNG_DIR.
import { writeFileSync } from 'node:fs';
import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const [result_path, png_dir, ...docs] = process.argv.slice(2);
const SCALES = ['100%', '150%', '200%'];
const SPACING = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; '
  + 'word-spacing: 0.16em !important; } p, li, dd, dt { margin-bottom: 2em !important; }';
const browser = await launch();
const result = {};
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 320, height: 640, deviceScaleFactor: 1 });
  for (const doc of docs) {
    result[doc] = {};
    for (const scale of SCALES) {
      for (const spacing of [false, true]) {
        await page.goto(pathToFileURL(doc).href, { waitUntil: 'load' });
        // a reading system's font size and margins, as Readium CSS sets them
        await page.addStyleTag({ content: `html { font-size: ${scale} !important; }
          body { margin: 0 16px !important; }` + (spacing ? SPACING : '') });
        result[doc][scale + (spacing ? '+spacing' : '')] = await page.evaluate(() => {
          const out = [];
          const width = window.innerWidth;
          for (const el of document.querySelectorAll('body *')) {
            for (const box of el.getClientRects()) {
              if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
                out.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 60)}" `
                  + `${box.left.toFixed(0)}..${box.right.toFixed(0)}`);
              }
            }
          }
          // and the text itself, which can run out of a box that stays inside
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const box of range.getClientRects()) {
              if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
                out.push(`text "${node.data.trim().slice(0, 60)}" `
                  + `${box.left.toFixed(0)}..${box.right.toFixed(0)}`);
              }
            }
          }
          // how many lines each phone number takes
          const phones = [...document.querySelectorAll('.phone')].map((el) => {
            const range = document.createRange();
            range.selectNodeContents(el);
            const tops = new Set([...range.getClientRects()].filter((b) => b.width)
              .map((b) => Math.round(b.top)));
            return [el.textContent, tops.size];
          });
          return { width: document.documentElement.scrollWidth, out, phones };
        });
        if (scale === '200%' && spacing) {
          await page.screenshot({ path: `${png_dir}/${doc.split(sep).slice(-3).join("-")}-200-spacing.png`,
                                  fullPage: true });
        }
      }
    }
  }
} finally {
  await browser.close();
}
writeFileSync(result_path, JSON.stringify(result, null, 1));
