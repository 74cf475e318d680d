import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import t from 'tap';

/**
 * "This test needs a system tool": the one place tests find socat, Mosquitto, Chromium, tshark,
 * redis-server and openssl, and decide what a missing one means.
 *
 * - Found: the test runs; when the tool is there but fails, the test reports the tool's own
 *   error (nothing here maps a failure to "not installed").
 * - Missing: the test is skipped with a notice naming the tool and how to install it.
 * - Missing with `CI=true`: a failure, not a skip — CI must never be green without the PTY,
 *   broker, TLS and browser tests.
 *
 * Tools are looked up on PATH (and the `sbin` beside each `bin` on it, where Debian puts
 * mosquitto), the same way `.ci/run` finds them with `command -v`.
 */

/** The Debian package that provides each tool (what `.ci/run` installs). */
export const TOOL_PACKAGES = {
  socat: 'socat',
  mosquitto: 'mosquitto',
  mosquitto_passwd: 'mosquitto',
  chromium: 'chromium',
  tshark: 'tshark',
  'redis-server': 'redis-server',
  openssl: 'openssl',
} as const;

export type ToolName = keyof typeof TOOL_PACKAGES;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Directories searched, in order: PATH, then each PATH entry's `sbin` sibling. */
function searchDirs(): string[] {
  const path = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const sbins = path.filter((d) => d.endsWith('/bin')).map((d) => join(dirname(d), 'sbin'));
  return [...new Set([...path, ...sbins])];
}

/** The absolute path of `tool`, or null when it is not installed. */
export function findTool(tool: ToolName): string | null {
  for (const dir of searchDirs()) {
    const candidate = join(dir, tool);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** The notice for a missing tool: what is missing and how to install it. */
export function missingToolNotice(tool: ToolName): string {
  const pkg = TOOL_PACKAGES[tool];
  return `${tool} not found on PATH: install it (apt-get install -y ${pkg}; .ci/run installs it)`;
}

/** Whether tests run in CI (`CI=true`), where a missing tool fails instead of skipping. */
export function inCi(): boolean {
  return process.env.CI === 'true';
}

const reported = new Set<string>();

/**
 * A tap `skip` option for a test that needs `tools`: `false` when all are found. When one is
 * missing: the notice (the test is skipped) — and under `CI=true` a failing test point naming
 * the tool is added to the file, so the run fails.
 *
 * ```ts
 * t.test('against Mosquitto', { skip: skipUnlessTools('mosquitto') }, async (t) => { ... });
 * ```
 */
export function skipUnlessTools(...tools: ToolName[]): false | string {
  const missing = tools.filter((tool) => findTool(tool) === null);
  if (missing.length === 0) return false;
  const notice = missing.map(missingToolNotice).join('; ');
  if (!reported.has(notice)) {
    reported.add(notice);
    if (inCi()) t.fail(`CI=true and a required tool is missing — ${notice}`);
    else t.comment(`SKIP: ${notice}`);
  }
  return notice;
}

/**
 * The path of a tool the test is about to use; throws (failing the test) with the install notice
 * when it is missing. For tests already guarded by {@link skipUnlessTools}.
 */
export function toolPath(tool: ToolName): string {
  const found = findTool(tool);
  if (found === null) throw new Error(missingToolNotice(tool));
  return found;
}
