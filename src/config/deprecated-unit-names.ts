import { toSecondsExactly } from '../common/config-units.js';
import type { UnitFieldSite } from './config-unit-fields.js';
import { type ConfigIssue, formatIssuePath } from './config-error.js';
import type { ConfigWarning } from './defended-asset-warnings.js';

/** A problem of a deprecated name: given with its replacement, or not a number. */
export interface DeprecatedNameIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

/** The data with every deprecated duration name replaced, what was replaced, and what could not be. */
export interface DeprecatedNameMigration {
  /** A copy when anything was renamed (the input is never modified), else the input itself. */
  readonly data: unknown;
  /** One per deprecated name used: its path, and what to write instead. */
  readonly warnings: readonly ConfigWarning[];
  /** Both names given, or a deprecated value that is not a number. */
  readonly issues: readonly DeprecatedNameIssue[];
}

const UNIT_NAMES: Readonly<Record<number, string>> = { 3: 'ms', 6: 'us' };

/**
 * Accept the names durations had before they were all written in seconds (`ackTimeoutMs: 30`)
 * as deprecated aliases: each becomes its replacement (`ackTimeoutS: 0.03`), converted so that
 * the internal value is exactly the one written (toSecondsExactly). A warning names the old
 * field and its replacement; giving both names is an issue, as is a deprecated value that is
 * not a number. Anything else (unknown keys, wrong shapes) is left for the schema to report.
 */
export function renameDeprecatedUnitNames(data: unknown, sites: readonly UnitFieldSite[]): DeprecatedNameMigration {
  if (!hasDeprecated(data, sites)) return { data, warnings: [], issues: [] };
  const copy = structuredClone(data);
  const warnings: ConfigWarning[] = [];
  const issues: DeprecatedNameIssue[] = [];
  for (const site of sites) {
    forEachAt(copy, site.at, (object, path) => {
      for (const [replacement, [old, digits]] of Object.entries(site.fields)) {
        if (!Object.hasOwn(object, old)) continue;
        const value = object[old];
        const oldPath = formatIssuePath([...path, old]);
        const newPath = formatIssuePath([...path, replacement]);
        const unit = UNIT_NAMES[digits] ?? `1e-${digits} s`;
        if (Object.hasOwn(object, replacement)) {
          issues.push({
            path: [...path, old],
            message: `both ${old} (deprecated, ${unit}) and ${replacement} (s) given: keep ${replacement} only`,
          });
          continue;
        }
        const seconds = typeof value === 'number' ? toSecondsExactly(value, digits) : undefined;
        if (seconds === undefined) {
          issues.push({
            path: [...path, old],
            message:
              typeof value === 'number'
                ? `${value} ${unit} has no exact value in seconds: write ${replacement} instead`
                : `expected a number of ${unit} (deprecated name: write ${replacement} in seconds)`,
          });
          continue;
        }
        delete object[old];
        object[replacement] = seconds;
        warnings.push({
          path: oldPath,
          message: `deprecated name (${unit}): write ${newPath}: ${seconds} (seconds) instead`,
        });
      }
    });
  }
  return { data: copy, warnings, issues };
}

function hasDeprecated(data: unknown, sites: readonly UnitFieldSite[]): boolean {
  let found = false;
  for (const site of sites) {
    const old = Object.values(site.fields).map(([name]) => name);
    forEachAt(data, site.at, (object) => {
      if (old.some((name) => Object.hasOwn(object, name))) found = true;
    });
  }
  return found;
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Call `visit` on each plain object at `at` (`a.b[].c`: every item of list b), with its path. */
function forEachAt(
  data: unknown,
  at: string,
  visit: (object: Plain, path: (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  if (at === '') {
    if (isPlain(data)) visit(data, path);
    return;
  }
  const dot = at.indexOf('.');
  const head = dot < 0 ? at : at.slice(0, dot);
  const rest = dot < 0 ? '' : at.slice(dot + 1);
  if (!isPlain(data)) return;
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (!Object.hasOwn(data, key)) return;
  const child = data[key];
  if (!list) return forEachAt(child, rest, visit, [...path, key]);
  if (Array.isArray(child)) child.forEach((item, i) => forEachAt(item, rest, visit, [...path, key, i]));
}

/** The issues of deprecated names in `data` (both names given, not a number), as ConfigIssues. */
export function deprecatedNameIssues(sites: readonly UnitFieldSite[]): (data: unknown) => ConfigIssue[] {
  return (data) =>
    renameDeprecatedUnitNames(data, sites).issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
}

/** One warning per deprecated name used in `data`, naming its replacement. */
export function deprecatedNameWarnings(sites: readonly UnitFieldSite[]): (data: unknown) => readonly ConfigWarning[] {
  return (data) => renameDeprecatedUnitNames(data, sites).warnings;
}
