// Lay a local HTML page out in Debian's Chromium (puppeteer-core) as a browser window of
// WINDOW CSS px zoomed step by step, and write what a reader would see at each step as JSON.
// Used by tests/writers/test_web_zoom.py.
//   node zoom_steps.mjs PAGE.html RESULTS.json [--spacing] [--forced] [--font-size=PX]
//                       [--zooms=100,110,...]
// A window of 1280 CSS px at zoom z (100 %, 110 % … 500 %) lays the page out in a viewport
// of 1280/z CSS px (rounded) and draws each CSS px as z device px: the device scale factor.
// --spacing adds WCAG 1.4.12's text spacing (a user style sheet); --forced emulates forced
// colours (Windows High Contrast, a dark theme) through CDP Emulation.setEmulatedMedia;
// --font-size=PX sets the browser's default font size (16 px unless the reader changes it).
// For each step: the viewport, the page's scroll width, the computed font size (CSS px) of
// every heading and every element holding text of its own (in document order, with its tag
// and text), every piece of text or box that passes the viewport's left or right edge, every element whose
// own box clips its text (overflow other than visible, content larger than the box), and
// with --forced each text's colour and the background behind it; and each time ("12:30 pm",
// a number and its word) whose letters fall on two lines.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const args = process.argv.slice(2);
const [page_path, results_path] = args.filter((a) => !a.startsWith('--'));
const flag = (name) => args.includes(`--${name}`);
const zooms_arg = args.find((a) => a.startsWith('--zooms='));
const zooms = zooms_arg ? zooms_arg.slice(8).split(',').map(Number)
  : Array.from({ length: 41 }, (_, i) => 100 + 10 * i);
const size_arg = args.find((a) => a.startsWith('--font-size='));
const WINDOW = 1280;
const SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; }
p, li, dd, dt { margin-bottom: 2em !important; }`;

const browser = await launch();
try {
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  if (size_arg) {
    await cdp.send('Page.setFontSizes', { fontSizes: { standard: Number(size_arg.slice(12)) } });
  }
  if (flag('forced')) {
    await cdp.send('Emulation.setEmulatedMedia', { features: [
      { name: 'forced-colors', value: 'active' },
      { name: 'prefers-color-scheme', value: 'dark' }] });
  }
  await page.setViewport({ width: WINDOW, height: 900 });
  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });
  if (flag('spacing')) await page.addStyleTag({ content: SPACING });
  const steps = [];
  for (const zoom of zooms) {
    const width = Math.round(WINDOW * 100 / zoom);
    await page.setViewport({ width, height: Math.round(900 * 100 / zoom),
                             deviceScaleFactor: zoom / 100 });
    const step = await page.evaluate((forced) => {
      const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '')
        + (el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : '');
      const own_text = (el) => Array.from(el.childNodes).filter(
        (n) => n.nodeType === Node.TEXT_NODE && n.data.trim()).map((n) => n.data.trim()).join(' ');
      const shown = (el) => el.getClientRects().length > 0
        && getComputedStyle(el).visibility === 'visible' && !el.closest('.skip-link');
      const right = window.innerWidth;
      const texts = [];
      const outside = [];
      const clipped = [];
      const background = (el) => {
        for (let at = el; at; at = at.parentElement) {
          const bg = getComputedStyle(at).backgroundColor;
          if (bg && bg !== 'transparent' && !/rgba\(.*, 0\)$/.test(bg)) return bg;
        }
        return 'rgb(255, 255, 255)';
      };
      for (const el of document.body.querySelectorAll('*')) {
        if (!shown(el)) continue;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        if (box.width && (box.left < -0.5 || box.right > right + 0.5)) {
          outside.push(`${name(el)} [${box.left.toFixed(1)}, ${box.right.toFixed(1)}]`);
        }
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          if (el.tagName !== 'AUDIO' && (el.scrollWidth > el.clientWidth + 1
              || el.scrollHeight > el.clientHeight + 1)) clipped.push(name(el));
        }
        // A heading counts whole even when its words are in a child (a contact's name).
        const text = /^H[1-6]$/.test(el.tagName) ? el.textContent.trim() : own_text(el);
        if (!text) continue;
        const entry = { el: name(el), text: text.slice(0, 40),
                        size: parseFloat(style.fontSize) };
        if (forced) Object.assign(entry, { color: style.color, background: background(el) });
        texts.push(entry);
        for (const node of el.childNodes) {
          if (node.nodeType !== Node.TEXT_NODE || !node.data.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) {
            if (r.width && (r.left < -0.5 || r.right > right + 0.5)) {
              outside.push(`text of ${name(el)} "${text.slice(0, 30)}" [${r.left.toFixed(1)}, ${r.right.toFixed(1)}]`);
            }
          }
        }
      }
      const split = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.data.matchAll(/\d+(?::\d\d)?[ \u00a0\u202f](?:am|pm)\b/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width)
            .map((r) => Math.round(r.top)));
          if (tops.size > 1) split.push(m[0].replace(/\s/, ' '));
        }
      }
      return { viewport: window.innerWidth, split,
               scroll_width: document.documentElement.scrollWidth,
               client_width: document.documentElement.clientWidth,
               forced_colors: matchMedia('(forced-colors: active)').matches,
               texts, outside, clipped };
    }, flag('forced'));
    steps.push({ zoom, width, ...step });
  }
  writeFileSync(results_path, JSON.stringify({ window: WINDOW, steps }));
} finally {
  await browser.close();
}
