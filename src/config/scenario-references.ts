import type { ReferenceIssue } from './bench-config-references.js';
import { scenarioNodeIssues } from './scenario-node-references.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Checks of a scenario that relate fields to each other: unique ids across targets, radars and
 * launchers; times within durationS; envelopes with minRangeM < maxRangeM and within what the
 * interceptor can fly (maxRangeM <= speedMps × maxFlightTimeS); operator commands naming known
 * devices. Works on raw (unvalidated) data as well as on a validated scenario, reading only what
 * has the right type, so its issues come together with shape errors. Never throws.
 */
export function scenarioReferenceIssues(data: unknown): ReferenceIssue[] {
  if (!isObject(data)) return [];
  const issues: ReferenceIssue[] = [];
  const issue = (path: (string | number)[], message: string): void => void issues.push({ path, message });
  const durationS = num(data['durationS']);
  const targets = list(data['targets']);
  const radars = list(data['radars']);
  const launchers = list(data['launchers']);
  const seen = new Map<string, string>();
  const unique = (collection: string, items: unknown[]): void =>
    items.forEach((item, i) => {
      const id = isObject(item) ? str(item['id']) : undefined;
      if (id === undefined) return;
      const first = seen.get(id);
      if (first !== undefined) issue([collection, i, 'id'], `duplicate id '${id}' (also ${first})`);
      else seen.set(id, `${collection}[${i}]`);
    });
  unique('targets', targets);
  unique('radars', radars);
  unique('launchers', launchers);
  if (durationS !== undefined) {
    targets.forEach((target, i) => {
      const startS = isObject(target) ? (num(target['startS']) ?? 0) : 0;
      if (startS >= durationS) issue(['targets', i, 'startS'], 'expected a start before durationS');
    });
    for (const [collection, devices] of [
      ['radars', radars],
      ['launchers', launchers],
    ] as const) {
      devices.forEach((device, i) =>
        list(isObject(device) ? device['faults'] : undefined).forEach((fault, j) => {
          const atS = isObject(fault) ? (num(fault['atS']) ?? 0) : 0;
          if (atS >= durationS) issue([collection, i, 'faults', j, 'atS'], 'expected a time before durationS');
        }),
      );
    }
  }
  launchers.forEach((launcher, i) => {
    if (!isObject(launcher)) return;
    const envelope = isObject(launcher['envelope']) ? launcher['envelope'] : {};
    const minRangeM = num(envelope['minRangeM']);
    const maxRangeM = num(envelope['maxRangeM']);
    if (minRangeM !== undefined && maxRangeM !== undefined && minRangeM >= maxRangeM)
      issue(['launchers', i, 'envelope', 'minRangeM'], 'expected minRangeM < maxRangeM');
    const speedMps = num(launcher['speedMps']);
    const maxFlightTimeS = num(launcher['maxFlightTimeS']);
    // Only between valid figures: a non-positive speed or flight time is already its own error.
    const valid = speedMps !== undefined && speedMps > 0 && maxFlightTimeS !== undefined && maxFlightTimeS > 0;
    if (maxRangeM !== undefined && valid) {
      const reachM = speedMps * maxFlightTimeS;
      if (maxRangeM > reachM) {
        issue(
          ['launchers', i, 'envelope', 'maxRangeM'],
          `envelope.maxRangeM ${maxRangeM} m is beyond what the interceptor can fly: speedMps × maxFlightTimeS = ` +
            `${speedMps} × ${maxFlightTimeS} = ${reachM} m`,
        );
      }
    }
  });
  const radarIds = new Set(radars.map((r) => (isObject(r) ? str(r['id']) : undefined)));
  const launcherIds = new Set(launchers.map((l) => (isObject(l) ? str(l['id']) : undefined)));
  list(data['operatorCommands']).forEach((command, i) => {
    if (!isObject(command)) return;
    const atS = num(command['atS']);
    if (atS !== undefined && durationS !== undefined && atS > durationS)
      issue(['operatorCommands', i, 'atS'], 'expected a time within durationS');
    const launcher = str(command['launcher']);
    if (launcher !== undefined && !launcherIds.has(launcher))
      issue(['operatorCommands', i, 'launcher'], `unknown launcher '${launcher}'`);
    const radar = str(command['radar']);
    if (radar !== undefined && !radarIds.has(radar))
      issue(['operatorCommands', i, 'radar'], `unknown radar '${radar}'`);
  });
  if (data['nodes'] !== undefined || data['network'] !== undefined) issues.push(...scenarioNodeIssues(data));
  if (data['nodes'] === undefined)
    list(data['measurements']).forEach((m, i) => {
      const metric = isObject(m) ? str(m['metric']) : undefined;
      if (metric?.startsWith('joint.'))
        issue(['measurements', i, 'metric'], `${metric} is a joint figure: only a scenario with nodes: has it`);
    });
  return issues;
}
