import { chromium, type Page } from 'playwright-core';
import { findTool, skipUnlessTools } from '../../support/require-tool.js';

/**
 * The Chromium the browser tests drive: `chromium` on PATH, found the same way `.ci/run` finds it
 * (Debian's package; CI installs it).
 */
export const CHROMIUM = findTool('chromium') ?? 'chromium';

/**
 * A tap `skip` value: false when Chromium is found, else the notice naming it and how to install
 * it. Under `CI=true` a missing Chromium fails the file instead (test/support/require-tool.ts).
 */
export const CHROMIUM_SKIP: false | string = skipUnlessTools('chromium');

/** Launch arguments: headless, no sandbox (containers), nothing fetched from the network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A page in a fresh headless Chromium, and the errors it reports. */
export interface WatchedPage {
  readonly page: Page;
  /** Console errors and uncaught page errors so far, as `console: …` / `page error: …`. */
  readonly problems: string[];
}

/**
 * Launch Chromium (closed at the test's teardown) and open one page of `viewport` whose console
 * errors and uncaught exceptions are collected in `problems`; a test asserts it stays empty.
 */
export async function openWatchedPage(
  t: { teardown: (fn: () => unknown) => void },
  viewport: { width: number; height: number },
): Promise<WatchedPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  t.teardown(() => browser.close());
  const page = await (await browser.newContext({ viewport })).newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, problems };
}
