import { ControlError } from './control-error.js';
import type { InputRejectReason } from './control-events.js';
import type { ControlInput } from './control-inputs.js';
import type { ControlState } from './control-state.js';
import { isWellFormedInput } from './is-well-formed-input.js';
import { notReadyReasons } from './launcher-table.js';
import type { StepOutput } from './output-sink.js';
import { sortThreatOrder } from './threat-order.js';

/**
 * One tick of the control core (docs/architecture.md §One run, step 5): a pure function of (state, inputs, nowUs), with
 * the state **mutated in place** (no copy, no allocation on the tick path).
 *
 * Order within a tick:
 *  1. inputs, sorted by (receivedAtUs, sourceId, seq) — see control-inputs.ts — are applied:
 *     measurements and drops to the tracker, launcher status, FIRE outcomes, operator commands;
 *     malformed or unknown ones are rejected with an `input-rejected` event;
 *  2. tracks coast and drop on age; launcher readiness is re-evaluated (events on change);
 *  3. every engagement is supervised: interlocks (drop / ABORT / SAFE), re-plans, timeouts,
 *     kill assessment;
 *  4. threats are evaluated (threat-evaluator.ts), the threat order is sorted and free launchers
 *     are assigned by the doctrine (SLEW, `planned`);
 *  5. FIRE goes out for planned engagements whose window has come, interlocks checked again.
 *
 * Deterministic: no wall time, no randomness, no I/O; equal states stepped with equal inputs and
 * `nowUs` give equal outputs, including event `seq` and command ids.
 *
 * @param nowUs host monotonic time of this tick; never less than the previous tick's.
 * @returns the outputs of this tick, in arrays owned by `state` that the next `step()` clears
 *   (the command and event objects themselves are never reused).
 * @throws ControlError `time-regressed` when `nowUs` goes backwards.
 */
export function step(state: ControlState, inputs: readonly ControlInput[], nowUs: number): StepOutput {
  if (!(nowUs >= state.lastNowUs)) {
    throw new ControlError('time-regressed', `nowUs ${nowUs} is before the previous tick ${state.lastNowUs}`);
  }
  const sink = state.sink;
  sink.begin(nowUs);
  const n = state.sorter.sort(inputs);
  for (let i = 0; i < n; i++) applyInput(state, state.sorter.at(i));
  state.sorter.release();

  state.tracker.sweep(nowUs);
  state.launchers.evaluate(nowUs);
  for (const r of state.launchers.records) {
    if (r.notReadyMask === r.announcedMask) continue;
    r.announcedMask = r.notReadyMask;
    sink.event({
      kind: 'launcher-readiness',
      seq: sink.nextSeq(),
      atUs: nowUs,
      launcherId: r.config.id,
      ready: r.notReadyMask === 0,
      reasons: notReadyReasons(r.notReadyMask),
      syncUncertaintyUs: r.syncUncertaintyUs < 0 ? null : r.syncUncertaintyUs,
      syncBudgetUs: r.syncBudgetUs,
    });
  }

  const wcs = state.operators.wcs;
  state.supervisor.supervise(nowUs, wcs);
  state.threats.evaluate(state.tracker.table);
  sortThreatOrder(
    state.tracker.table,
    state.config.doctrine.assignment === 'expected-value' ? state.threats.threatValue : null,
  );
  state.planner.plan(nowUs, wcs);
  state.supervisor.fireDue(nowUs, wcs);
  state.actions.collect();

  state.lastNowUs = nowUs;
  state.tickCount++;
  return sink;
}

function applyInput(state: ControlState, input: ControlInput): void {
  let reason: InputRejectReason | null;
  if (!isWellFormedInput(input)) reason = 'malformed';
  else {
    switch (input.kind) {
      case 'track-measurement':
        reason = state.tracker.measure(input);
        break;
      case 'track-drop':
        reason = state.tracker.drop(input);
        break;
      case 'launcher-status':
        reason = state.launchers.applyStatus(input);
        break;
      case 'fire-outcome':
        reason = state.supervisor.fireOutcome(input);
        break;
      case 'operator-command':
        state.operators.apply(input);
        reason = null;
        break;
      case 'partner-holds':
        state.partnerHolds.apply(input);
        reason = null;
        break;
    }
  }
  if (reason === null) return;
  const sink = state.sink;
  sink.event({
    kind: 'input-rejected',
    seq: sink.nextSeq(),
    atUs: sink.atUs,
    inputKind: input.kind,
    sourceId: String(input.sourceId),
    inputSeq: Number.isFinite(input.seq) ? input.seq : -1,
    reason,
  });
}
