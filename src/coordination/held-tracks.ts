import type { Ownership } from './deconfliction.js';
import type { KilledThreat } from './kill-assessment.js';
import type { ThreatNames } from './threat-names.js';

/**
 * Which of this node's tracks hold fire at `nowMs`, and until when (UTC ms), sorted by track id:
 * every track named by a threat a partner owns (until the owner's claim lapses) or by a threat
 * assessed killed (until the kill-assessment window ends) — never past the track's own
 * must-fire-by instant, where protecting its own assets comes first. Pure: same inputs, same
 * answer.
 */
export function heldTracks(
  selfId: string,
  owners: readonly Ownership[],
  kills: readonly KilledThreat[],
  names: ThreatNames,
  nowMs: number,
): [trackId: number, untilMs: number][] {
  const held = new Map<number, number>();
  const hold = (key: string, untilMs: number): void => {
    const trackId = names.trackOf(key);
    if (trackId === undefined) return;
    const until = Math.min(untilMs, names.get(trackId)?.mustFireByMs ?? Number.POSITIVE_INFINITY);
    if (nowMs < until) held.set(trackId, Math.max(held.get(trackId) ?? 0, until));
  };
  for (const o of owners) {
    if (o.owner.node === selfId) continue;
    for (const key of o.memberKeys) hold(key, o.owner.expiresAtMs);
  }
  for (const k of kills) for (const key of k.memberKeys) hold(key, k.untilMs);
  return [...held].sort((a, b) => a[0] - b[0]);
}
