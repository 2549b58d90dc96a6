// Write where Debian's Chromium draws each occurrence of some words on a local HTML page
// (puppeteer-core): {word: [[left, top], ...]} in CSS px, in the order of the page's text.
// Used by tests/writers/test_rtl_latin_after.py.
//   node word_boxes.mjs PAGE.html BOXES.json WORD...
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const [page_path, boxes_path, ...words] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });
  const boxes = await page.evaluate((words) => {
    const found = Object.fromEntries(words.map((word) => [word, []]));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of words) {
        for (let at = node.data.indexOf(word); at >= 0; at = node.data.indexOf(word, at + 1)) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const box = range.getBoundingClientRect();
          found[word].push([box.left, box.top]);
        }
      }
    }
    return found;
  }, words);
  writeFileSync(boxes_path, JSON.stringify(boxes));
} finally {
  await browser.close();
}
