import { existsSync } from 'node:fs';

/** The Chromium the browser tests drive (Debian's package; CI installs it). */
export const CHROMIUM = '/usr/bin/chromium';

/** A tap `skip` value: false when {@link CHROMIUM} exists, else the reason and how to install it. */
export const CHROMIUM_SKIP: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) to run the browser test`;

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
