import type { ControlConfig } from './control-config.js';
import type { EngagementEndReason } from './control-commands.js';
import type { WeaponsControlStatus } from './control-inputs.js';
import {
  HOLD_CEASE,
  HOLD_FIRE,
  IFF_FRIENDLY,
  IFF_HOSTILE,
  LIFECYCLE_ACTIVE,
  LIFECYCLE_DESTROYED,
  type TrackTable,
} from './track-table.js';

/**
 * The track-side interlocks, fail closed: the first condition that forbids engaging the track in
 * `slot` now, or null when it may be engaged. Weapons control HOLD forbids everything; a friendly
 * is never engaged; an unknown only under FREE (TIGHT = hostile only); an operator hold; a track
 * that coasts (no fresh measurement) or whose quality is too low; a destroyed track.
 *
 * `honourCease`: cease-fire forbids new fires but lets a FIRE already sent go, so the check for
 * an outstanding FIRE passes false.
 */
export function trackInterlock(
  table: TrackTable,
  slot: number,
  wcs: WeaponsControlStatus,
  config: ControlConfig,
  honourCease: boolean,
): EngagementEndReason | null {
  const lifecycle = table.lifecycle[slot];
  if (lifecycle === LIFECYCLE_DESTROYED) return 'track-destroyed';
  if (lifecycle !== LIFECYCLE_ACTIVE) return 'track-lost';
  if (wcs === 'hold') return 'weapons-hold';
  const iff = table.iff[slot];
  if (iff === IFF_FRIENDLY) return 'iff-friendly';
  if (iff !== IFF_HOSTILE && wcs !== 'free') return 'iff-not-authorized';
  const hold = table.hold[slot];
  if (hold === HOLD_FIRE) return 'hold-fire';
  if (hold === HOLD_CEASE && honourCease) return 'cease-fire';
  if (table.coasting[slot] !== 0) return 'track-coasting';
  if (table.quality[slot]! < config.engagement.minQualityToEngage) return 'track-quality';
  return null;
}
