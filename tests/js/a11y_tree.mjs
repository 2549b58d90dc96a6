// Write the accessibility tree Debian's Chromium gives a local HTML page (puppeteer-core):
// what a screen reader is told. Used by tests/writers/test_figure_a11y.py.
//   node a11y_tree.mjs PAGE.html TREE.json
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const [page_path, tree_path] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });
  const tree = await page.accessibility.snapshot({ interestingOnly: false });
  writeFileSync(tree_path, JSON.stringify(tree, null, 1));
} finally {
  await browser.close();
}
