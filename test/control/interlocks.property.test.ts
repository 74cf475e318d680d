/**
 * Interlock properties over random input sequences (fast-check). An oracle rebuilds, from the
 * inputs and the core's own events, what the core was told — weapons control status, the latest
 * IFF of every radar track and which host track it belongs to, operator holds, the latest status
 * and rounds of every launcher, the state of every engagement — and checks every tick:
 *
 *  - no FIRE on a track any of whose radar tracks last said friendly;
 *  - no FIRE while HOLD; under TIGHT only on hostile tracks;
 *  - no FIRE unless the launcher is active, ARMED, link fresh, sync within bound, watchdog ok,
 *    status fresh, rounds available;
 *  - no command id twice, at most one FIRE per engagement;
 *  - never two engagements holding one track (under the salvo doctrine never three), nor two
 *    pending on one launcher; no new plan on a track while a FIRE of unknown fate may still fly;
 *  - at the end of every tick every pending engagement satisfies every interlock (anything
 *    pending is dropped when a condition fails), and every cancelled FIRE got its ABORT or SAFE.
 */
import fc from 'fast-check';
import t from 'tap';
import type {
  ControlCommand,
  EngagementEvent,
  IffClass,
  LauncherStatusInput,
  OperatorCommand,
  WeaponsControlStatus,
} from '../../src/control/index.js';
import { episodeArb, episodeConfig, runEpisode, type TickRecord } from './episode.js';
import { launchErrorBudgetUs } from '../../src/control/index.js';

const config = episodeConfig();
const E = config.engagement;

interface Coverage {
  fires: number;
  aborts: number;
  safes: number;
  launched: number;
  /** Ticks ending with two engagements on one track (salvo). */
  salvos: number;
}

function sortInputs<T extends { receivedAtUs: number; sourceId: string; seq: number }>(inputs: T[]): T[] {
  return [...inputs].sort((a, b) =>
    a.receivedAtUs !== b.receivedAtUs
      ? a.receivedAtUs - b.receivedAtUs
      : a.sourceId !== b.sourceId
        ? a.sourceId < b.sourceId
          ? -1
          : 1
        : a.seq - b.seq,
  );
}

/** Returns the violations of an episode's records (empty when every property holds). */
function check(records: TickRecord[], coverage: Coverage, maxPerTrack = 1): string[] {
  const violations: string[] = [];
  let wcs: WeaponsControlStatus = 'hold';
  const iffOf = new Map<string, IffClass>();
  const links = new Map<number, Set<string>>();
  const destroyed = new Set<number>();
  const holds = new Map<number, 'hold-fire' | 'cease-fire'>();
  const status = new Map<string, LauncherStatusInput>();
  const reported = new Map<string, number>();
  const launches = new Map<string, number>();
  const latest = new Map<number, EngagementEvent>();
  const firedEngagements = new Set<number>();
  const unknownFateUntil = new Map<number, number>();
  const commandIds = new Set<number>();
  const requests = new Map<string, OperatorCommand>();

  const trackIff = (trackId: number): { friendly: boolean; hostile: boolean } => {
    let friendly = false;
    let hostile = false;
    for (const key of links.get(trackId) ?? []) {
      const iff = iffOf.get(key);
      if (iff === 'friendly') friendly = true;
      if (iff === 'hostile') hostile = true;
    }
    return { friendly, hostile };
  };
  const rounds = (launcherId: string): number => {
    const cap = config.launchers.find((l) => l.id === launcherId)!.rounds - (launches.get(launcherId) ?? 0);
    return Math.min(reported.get(launcherId) ?? 0, cap);
  };
  const syncBudgetUs = (launcherId: string): number =>
    launchErrorBudgetUs(
      E,
      config.launchers.find((l) => l.id === launcherId)!,
    );
  /** Why a launcher may not hold a FIRE now, or null. `firing` is accepted for a FIRE already sent. */
  const launcherProblem = (launcherId: string, nowUs: number, allowFiring: boolean): string | null => {
    const s = status.get(launcherId);
    if (!s) return 'no status';
    if (nowUs - s.receivedAtUs > E.launcherStatusMaxAgeUs) return 'status stale';
    if (!s.lifecycleActive) return 'inactive';
    if (!s.linkFresh) return 'link not fresh';
    if (s.timeSyncUncertaintyUs === null || s.timeSyncUncertaintyUs > syncBudgetUs(launcherId))
      return 'sync out of bound';
    if (!(s.state === 'armed' || (allowFiring && s.state === 'firing'))) return `state ${s.state}`;
    if (s.watchdog !== 'ok') return 'watchdog';
    if (rounds(launcherId) <= 0) return 'no rounds';
    return null;
  };
  const trackProblem = (trackId: number, honourCease: boolean): string | null => {
    if (!links.has(trackId)) return 'track gone';
    if (destroyed.has(trackId)) return 'track destroyed';
    if (wcs === 'hold') return 'HOLD';
    const { friendly, hostile } = trackIff(trackId);
    if (friendly) return 'friendly';
    if (wcs === 'tight' && !hostile) return 'not hostile under TIGHT';
    const hold = holds.get(trackId);
    if (hold === 'hold-fire' || (hold === 'cease-fire' && honourCease)) return hold;
    return null;
  };
  const holdsTrack = (e: EngagementEvent): boolean =>
    e.state === 'planned' ||
    e.state === 'fire-sent' ||
    e.state === 'launched' ||
    (e.state === 'aborted' &&
      e.transition === 'aborted' &&
      e.fireCommandId !== null &&
      e.commandId !== null &&
      e.reason !== 'no-fire-report');
  const holdsLauncher = (e: EngagementEvent): boolean => holdsTrack(e) && e.state !== 'launched';

  for (const rec of records) {
    const now = rec.nowUs;
    const v = (msg: string) => violations.push(`t=${now}: ${msg}`);
    for (const input of sortInputs(rec.inputs)) {
      switch (input.kind) {
        case 'track-measurement':
          iffOf.set(`${input.radarId}:${input.radarTrackId}`, input.iff);
          break;
        case 'launcher-status':
          status.set(input.launcherId, input);
          reported.set(input.launcherId, input.roundsReady);
          break;
        case 'fire-outcome': {
          const o = input.outcome;
          if (o.result === 'launched') launches.set(input.launcherId, (launches.get(input.launcherId) ?? 0) + 1);
          if (o.result === 'launched' || o.result === 'aborted' || o.result === 'misfire')
            reported.set(input.launcherId, o.roundsRemaining);
          break;
        }
        case 'operator-command':
          requests.set(input.requestId, input.command);
          break;
        default:
          break;
      }
    }
    const cancelIds = new Set<number>();
    for (const ev of rec.events) {
      switch (ev.kind) {
        case 'weapons-control':
          wcs = ev.to;
          break;
        case 'operator-command-result': {
          const c = requests.get(ev.requestId);
          if (ev.result !== 'accepted' || !c) break;
          if (c.verb === 'hold-fire' || c.verb === 'cease-fire') holds.set(c.trackId, c.verb);
          if (c.verb === 'engage-track') holds.delete(c.trackId);
          break;
        }
        case 'track': {
          const key = `${ev.radarId}:${ev.radarTrackId}`;
          if (ev.transition === 'created') links.set(ev.trackId, new Set([key]));
          if (ev.transition === 'associated') links.get(ev.trackId)!.add(key);
          if (ev.transition === 'link-dropped') links.get(ev.trackId)!.delete(key);
          if (ev.transition === 'destroyed') destroyed.add(ev.trackId);
          if (ev.transition === 'dropped') links.delete(ev.trackId);
          break;
        }
        case 'engagement': {
          if (ev.transition === 'planned') {
            const until = unknownFateUntil.get(ev.trackId) ?? -Infinity;
            if (now < until) v(`planned on track ${ev.trackId} while an earlier FIRE of unknown fate may fly`);
          }
          if (ev.transition === 'launched') coverage.launched++;
          if (
            (ev.reason === 'link-lost' || ev.reason === 'no-fire-report') &&
            ev.fireCommandId !== null &&
            (ev.transition === 'failed' || ev.transition === 'aborted')
          )
            unknownFateUntil.set(
              ev.trackId,
              Math.max(unknownFateUntil.get(ev.trackId) ?? 0, ev.interceptAtHostUs + E.killAssessmentDelayUs),
            );
          if (ev.transition === 'aborted' && ev.commandId !== null) cancelIds.add(ev.commandId);
          latest.set(ev.engagementId, ev);
          break;
        }
        default:
          break;
      }
    }
    for (const c of rec.commands as ControlCommand[]) {
      if (commandIds.has(c.commandId)) v(`command id ${c.commandId} emitted twice`);
      commandIds.add(c.commandId);
      if (c.kind === 'abort') coverage.aborts++;
      if (c.kind === 'safe') coverage.safes++;
      if (c.kind !== 'fire') continue;
      coverage.fires++;
      if (firedEngagements.has(c.engagementId)) v(`second FIRE for engagement ${c.engagementId}`);
      firedEngagements.add(c.engagementId);
      const tp = trackProblem(c.trackId, true);
      if (tp) v(`FIRE ${c.commandId} on track ${c.trackId}: ${tp}`);
      const lp = launcherProblem(c.launcherId, now, false);
      if (lp) v(`FIRE ${c.commandId} from ${c.launcherId}: ${lp}`);
    }
    // Every cancelled FIRE announced with a command id has that ABORT or SAFE in this tick.
    const emitted = new Set(
      rec.commands.filter((c) => c.kind === 'abort' || c.kind === 'safe').map((c) => c.commandId),
    );
    for (const id of cancelIds) if (!emitted.has(id)) v(`cancel command ${id} announced but not emitted`);
    // End of tick: every pending engagement satisfies every interlock; exclusivity.
    const byTrack = new Map<number, number>();
    const byLauncher = new Map<string, number>();
    for (const e of latest.values()) {
      if (holdsTrack(e)) byTrack.set(e.trackId, (byTrack.get(e.trackId) ?? 0) + 1);
      if (holdsLauncher(e)) byLauncher.set(e.launcherId, (byLauncher.get(e.launcherId) ?? 0) + 1);
      if (e.state === 'planned') {
        const p = trackProblem(e.trackId, true) ?? launcherProblem(e.launcherId, now, false);
        if (p) v(`engagement ${e.engagementId} still planned: ${p}`);
      }
      if (e.state === 'fire-sent' && now < e.launchAtHostUs) {
        const p = trackProblem(e.trackId, false) ?? launcherProblem(e.launcherId, now, true);
        if (p) v(`engagement ${e.engagementId} FIRE still outstanding: ${p}`);
      }
    }
    for (const [track, n] of byTrack) {
      if (n > maxPerTrack) v(`${n} engagements hold track ${track}`);
      if (n === 2) coverage.salvos++;
    }
    for (const [launcher, n] of byLauncher) if (n > 1) v(`${n} engagements pending on launcher ${launcher}`);
  }
  return violations;
}

t.test('interlocks hold over random input sequences', (t) => {
  const coverage: Coverage = { fires: 0, aborts: 0, safes: 0, launched: 0, salvos: 0 };
  fc.assert(
    fc.property(episodeArb, (ticks) => {
      const violations = check(runEpisode(ticks), coverage);
      if (violations.length > 0) throw new Error(violations.slice(0, 5).join('\n'));
    }),
    { numRuns: 300, seed: 20240611 },
  );
  // Not vacuous: the random episodes do reach FIRE, launches and cancellations.
  t.ok(coverage.fires > 50, `FIREs checked: ${coverage.fires}`);
  t.ok(coverage.launched > 10, `launches: ${coverage.launched}`);
  t.ok(coverage.aborts > 5, `ABORTs: ${coverage.aborts}`);
  t.ok(coverage.safes > 5, `SAFEs: ${coverage.safes}`);
  t.end();
});

t.test('interlocks hold with unseeded runs too', (t) => {
  const coverage: Coverage = { fires: 0, aborts: 0, safes: 0, launched: 0, salvos: 0 };
  fc.assert(
    fc.property(episodeArb, (ticks) => {
      const violations = check(runEpisode(ticks), coverage);
      if (violations.length > 0) throw new Error(violations.slice(0, 5).join('\n'));
    }),
    { numRuns: 50 },
  );
  t.pass('no violation');
  t.end();
});

t.test('interlocks hold under the salvo doctrine (two rounds on a track, each FIRE checked alone)', (t) => {
  const coverage: Coverage = { fires: 0, aborts: 0, safes: 0, launched: 0, salvos: 0 };
  fc.assert(
    fc.property(episodeArb, (ticks) => {
      const violations = check(runEpisode(ticks, false, true), coverage, 2);
      if (violations.length > 0) throw new Error(violations.slice(0, 5).join('\n'));
    }),
    { numRuns: 150, seed: 20260033 },
  );
  t.ok(coverage.fires > 25, `FIREs checked: ${coverage.fires}`);
  t.ok(coverage.salvos > 10, `ticks ending with a salvo: ${coverage.salvos}`);
  t.end();
});
