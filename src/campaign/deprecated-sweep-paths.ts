import { toSecondsExactly } from '../common/config-units.js';
import { SCENARIO_UNIT_SITES } from '../config/config-unit-fields.js';
import { ScenarioPathError, expandScenarioPath, parseScenarioPath } from './scenario-paths.js';
import type { ParameterValue } from './sweep-schema.js';

/** Deprecated scenario duration name → its replacement in seconds and the digits to convert. */
const REPLACEMENTS = new Map(
  SCENARIO_UNIT_SITES.flatMap((site) =>
    Object.entries(site.fields).map(([replacement, [old, digits]]) => [old, { replacement, digits }] as const),
  ),
);

/**
 * A sweep parameter naming a duration by its deprecated name (`radars[*].scanPeriodMs`, values in
 * ms) on a scenario that uses the replacement (`scanPeriodS`): the same parameter in the
 * scenario's terms, its value converted exactly (docs/decisions/0030-one-unit-per-kind.md). Any
 * other parameter is returned as it is.
 */
export function currentSweepPath(
  root: unknown,
  path: string,
  value: ParameterValue | undefined,
): { path: string; value: ParameterValue | undefined } {
  const match = /^(.*\.)([A-Za-z]+)$/.exec(path) ?? /^()([A-Za-z]+)$/.exec(path);
  const found = match === null ? undefined : REPLACEMENTS.get(match[2]!);
  if (match === null || found === undefined || written(root, path)) return { path, value };
  const renamed = `${match[1]}${found.replacement}`;
  if (!written(root, renamed)) return { path, value };
  const seconds = typeof value === 'number' ? toSecondsExactly(value, found.digits) : value;
  return { path: renamed, value: seconds ?? value };
}

/** Whether the scenario as written holds a value at some place `path` names. */
function written(root: unknown, path: string): boolean {
  try {
    return expandScenarioPath(root, path, parseScenarioPath(path)).some(
      (target) =>
        target.at.reduce<unknown>(
          (node, key) =>
            node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
          root,
        ) !== undefined,
    );
  } catch (error) {
    if (error instanceof ScenarioPathError) return false;
    throw error;
  }
}
