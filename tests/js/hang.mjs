// Start Chromium as every checker here does, open a page (so that it has a renderer too), say
// Chromium's process id and hang: tests/test_node.py times it out and looks for what is left.
import { launch } from './browser.mjs';

const browser = await launch();
await browser.newPage();
console.log(browser.process().pid);
setInterval(() => {}, 60_000);
