/**
 * The launch benchmark's judge (bench/launch.ts): the simulator's truth log against what the host
 * planned. For every FIRE the host sent it finds the launch (tagged) or the reception (untagged)
 * in the truth log and gives the error twice — in the launcher's own clock, and in host time
 * through the simulator's power-on instant — and checks the scenario's clock model against the
 * launcher times the truth log recorded.
 */
import { readFileSync } from 'node:fs';

/** The launcher clock of the scenario: offset at power-on, drift, line rate. */
export interface LauncherClockModel {
  readonly offsetUs: number;
  readonly driftPpm: number;
  readonly baud: number;
}

/** A time-tagged FIRE the launcher accepted. */
export interface TaggedShot {
  readonly commandId: number;
  readonly plannedHostUs: number;
  /** The execute-at the driver sent, launcher clock. */
  readonly executeAtDeviceUs: number;
  /** The driver's sync uncertainty bound when it sent the FIRE, us. */
  readonly syncBoundUs: number;
  actualDeviceUs?: number;
}

/** A FIRE sent at its planned instant with execute-at "now" (the untagged baseline). */
export interface UntaggedShot {
  readonly commandId: number;
  readonly plannedHostUs: number;
  readonly executeAtDeviceUs: number;
  /** `accepted`, `nak:<reason>` or `error:<text>`. */
  readonly outcome: string;
}

/** One truth-log record (JSON lines), by its `kind`. */
export type TruthRecord = Record<string, unknown> & { kind: string };

/** Inputs of {@link launchErrors}. */
export interface LaunchErrorInputs {
  readonly model: LauncherClockModel;
  readonly tagged: readonly TaggedShot[];
  readonly untagged: readonly UntaggedShot[];
  /**
   * Host time of a scenario instant, us; absent when the simulator did not report its power-on
   * instant (then no true-time errors are given).
   */
  readonly hostUsOfScenario?: (scenarioUs: number) => number;
}

/** Signed errors (actual − planned), us, one per FIRE found in the truth log. */
export interface LaunchErrors {
  readonly taggedDevice: number[];
  readonly taggedTrue: number[];
  readonly untaggedDevice: number[];
  readonly untaggedTrue: number[];
  /** Untagged FIRE outcomes and their counts. */
  readonly outcomes: Map<string, number>;
  /** Largest |clock model − launcher time| over the launches, us; undefined with no launch. */
  readonly modelCheckMaxUs: number | undefined;
}

/** The truth log's records; throws on a line that is not JSON (the simulator wrote it). */
export function readTruthLog(file: string): TruthRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as TruthRecord);
}

/** Judge the FIREs of one run against the truth log. */
export function launchErrors(truth: readonly TruthRecord[], inputs: LaunchErrorInputs): LaunchErrors {
  const { model, tagged, untagged, hostUsOfScenario } = inputs;
  const rate = 1 + model.driftPpm / 1e6;
  const launches = new Map<number, { executedUs: number; launcherTimeUs: number; executeAtUs: number }>();
  const received = new Map<number, { tUs: number; launcherTimeUs: number; outcome: string }>();
  for (const record of truth) {
    if (record.kind === 'launch') {
      const r = record as unknown as {
        commandId: number;
        executedUs: number;
        launcherTimeUs: number;
        executeAtUs: number;
      };
      launches.set(r.commandId, r);
    } else if (record.kind === 'fire-received') {
      const r = record as unknown as {
        commandId: number;
        tUs: number;
        launcherTimeUs: number;
        outcome: string;
        retransmission: boolean;
      };
      if (!r.retransmission && !received.has(r.commandId)) received.set(r.commandId, r);
    }
  }

  // Check the clock model against truth: the launcher's time of each launch vs the model.
  let modelCheckMaxUs: number | undefined;
  for (const launch of launches.values()) {
    const modelled = Math.floor(model.offsetUs + launch.executedUs * rate);
    modelCheckMaxUs = Math.max(modelCheckMaxUs ?? 0, Math.abs(modelled - launch.launcherTimeUs));
  }

  const taggedDevice: number[] = [];
  const taggedTrue: number[] = [];
  for (const shot of tagged) {
    const launch = launches.get(shot.commandId);
    if (launch === undefined) continue;
    taggedDevice.push(launch.launcherTimeUs - shot.executeAtDeviceUs);
    if (hostUsOfScenario !== undefined) taggedTrue.push(hostUsOfScenario(launch.executedUs) - shot.plannedHostUs);
  }
  const untaggedDevice: number[] = [];
  const untaggedTrue: number[] = [];
  const outcomes = new Map<string, number>();
  for (const shot of untagged) {
    outcomes.set(shot.outcome, (outcomes.get(shot.outcome) ?? 0) + 1);
    const r = received.get(shot.commandId);
    if (r === undefined) continue;
    untaggedDevice.push(r.launcherTimeUs - shot.executeAtDeviceUs);
    if (hostUsOfScenario !== undefined) untaggedTrue.push(hostUsOfScenario(r.tUs) - shot.plannedHostUs);
  }
  return { taggedDevice, taggedTrue, untaggedDevice, untaggedTrue, outcomes, modelCheckMaxUs };
}
