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
