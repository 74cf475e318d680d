import { randomBytes } from 'node:crypto';

/**
 * The bridge's boot id (docs/mqtt.md: consumers drop events of a boot id they saw end).
 * Virtual time: `<node>-<seed>`, so a virtual run stays a function of config, scenario and seed.
 * Real time: `<node>-<seed>-<12 random hex digits>`, different at every process start, so the
 * next run's events are never taken for the previous run's.
 */
export function bootIdFor(nodeId: string, seed: number, virtualTime: boolean): string {
  return virtualTime ? `${nodeId}-${seed}` : `${nodeId}-${seed}-${randomBytes(6).toString('hex')}`;
}
