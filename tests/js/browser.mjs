// Start Debian's Chromium (puppeteer-core, never a downloaded browser) as every checker in this
// folder does: headless, offline (no background networking, updates or sync), reading the
// local files it is given.
import puppeteer from 'puppeteer-core';

export function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--allow-file-access-from-files'],
  });
}
