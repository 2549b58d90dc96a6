// Write the accessibility tree Debian's Chromium gives a local HTML page (puppeteer-core):
// what a screen reader is told. Used by tests/writers/test_figure_a11y.py.
//   node a11y_tree.mjs PAGE.html TREE.json
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const [page_path, tree_path] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--allow-file-access-from-files'],
});
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });
  const tree = await page.accessibility.snapshot({ interestingOnly: false });
  writeFileSync(tree_path, JSON.stringify(tree, null, 1));
} finally {
  await browser.close();
}
