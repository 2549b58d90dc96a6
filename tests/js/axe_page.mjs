// Run axe-core on a local HTML page in Debian's Chromium (puppeteer-core, no downloaded browser);
// optionally take screenshots. Used by tests/writers/test_web_checkers.py.
//   node axe_page.mjs PAGE.html RESULTS.json [SHOT_PREFIX]
// RESULTS.json gets axe's violations; SHOT_PREFIX-desktop.png (1280 px) and
// SHOT_PREFIX-400px-zoom200.png (400 CSS px wide at 200 % zoom: device scale factor 2 and
// a 200 px wide layout viewport, as a browser zoomed to 200 % lays the page out).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const require = createRequire(import.meta.url);
const [page_path, results_path, shot_prefix] = process.argv.slice(2);
const axe_source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const browser = await launch();
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(page_path).href, { waitUntil: 'load' });
  await page.addScriptTag({ content: axe_source });
  const results = await page.evaluate(async () => {
    // Every WCAG 2.0-2.2 A/AA rule and axe's best practices.
    return await window.axe.run(document, { resultTypes: ['violations'] });
  });
  writeFileSync(results_path, JSON.stringify({
    violations: results.violations, passes: results.passes.length,
    axe: results.testEngine.version,
  }, null, 1));
  if (shot_prefix) {
    await page.screenshot({ path: `${shot_prefix}-desktop.png`, fullPage: false });
    await page.setViewport({ width: 200, height: 450, deviceScaleFactor: 2 });
    await page.screenshot({ path: `${shot_prefix}-400px-zoom200.png`, fullPage: false });
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth > document.documentElement.clientWidth);
    const data = JSON.parse(readFileSync(results_path, 'utf8'));
    data.horizontal_scroll_at_zoom = overflow;
    writeFileSync(results_path, JSON.stringify(data, null, 1));
  }
} finally {
  await browser.close();
}
