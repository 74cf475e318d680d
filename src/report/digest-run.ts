import type {
  ControlCommand,
  ControlEvent,
  ControlInput,
  EngagementEvent,
  FireCommand,
  IffClass,
  OperatorCommandResultEvent,
  WeaponsControlStatus,
} from '../control/index.js';
import { type AuditRecord, type EndRecord, forEachIdleTick, type RunManifest } from '../record/run-file-format.js';
import type { RunFileContents } from '../record/run-reader.js';

/** A FIRE the core issued, with the tick that issued it. */
export interface IssuedFire {
  readonly command: FireCommand;
  readonly issuedAtUs: number;
}

/** A host track's life as the core's track events tell it. */
export interface HostTrackLife {
  readonly trackId: number;
  /** Time of its `created` event: first detection. */
  readonly createdUs: number;
  /** Latest identification. */
  iff: IffClass;
  /** Time of `destroyed` or `dropped`, else null (still held at the end). */
  endedUs: number | null;
  endTransition: 'destroyed' | 'dropped' | null;
}

/** One radar measurement the core received (the host's picture, used when there is no truth). */
export interface RadarPlot {
  readonly radarId: string;
  readonly radarTrackId: number;
  readonly tUs: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly iff: IffClass;
}

/** A weapons-control change. */
export interface WeaponsControlChange {
  readonly atUs: number;
  readonly from: WeaponsControlStatus;
  readonly to: WeaponsControlStatus;
  readonly operatorIds: readonly string[];
}

/** What a recording says, gathered in one pass for the report. */
export interface RunDigest {
  readonly manifest: RunManifest;
  readonly complete: boolean;
  readonly truncatedTail: boolean;
  /** Time of the first and last recorded tick (busy or idle), host microseconds. */
  readonly firstUs: number;
  readonly lastUs: number;
  readonly busyTicks: number;
  readonly idleTicks: number;
  /** FIREs by command id, in issue order. */
  readonly fires: ReadonlyMap<number, IssuedFire>;
  readonly abortCommands: number;
  readonly safeCommands: number;
  readonly tracks: ReadonlyMap<number, HostTrackLife>;
  /** Every engagement's events in order, by engagement id. */
  readonly engagements: ReadonlyMap<number, readonly EngagementEvent[]>;
  readonly weaponsControl: readonly WeaponsControlChange[];
  readonly operatorResults: readonly OperatorCommandResultEvent[];
  /** Inputs the core ignored, counted by reason. */
  readonly inputRejections: Readonly<Record<string, number>>;
  readonly radarPlots: readonly RadarPlot[];
  readonly audit: readonly AuditRecord[];
  readonly end: EndRecord | null;
}

/**
 * Walk a recording once and keep what the report plots. The run file's tick payloads are typed
 * `unknown` by the file format; they are the core's own inputs, commands and events (the
 * recorder writes them verbatim), so they are read as those types.
 */
export function digestRun(run: RunFileContents): RunDigest {
  let firstUs = Number.POSITIVE_INFINITY;
  let lastUs = Number.NEGATIVE_INFINITY;
  let busyTicks = 0;
  let idleTicks = 0;
  let abortCommands = 0;
  let safeCommands = 0;
  let end: EndRecord | null = null;
  const fires = new Map<number, IssuedFire>();
  const tracks = new Map<number, HostTrackLife>();
  const engagements = new Map<number, EngagementEvent[]>();
  const weaponsControl: WeaponsControlChange[] = [];
  const operatorResults: OperatorCommandResultEvent[] = [];
  const inputRejections: Record<string, number> = {};
  const radarPlots: RadarPlot[] = [];
  const audit: AuditRecord[] = [];
  const seeTime = (us: number): void => {
    if (us < firstUs) firstUs = us;
    if (us > lastUs) lastUs = us;
  };

  for (const record of run.records) {
    switch (record.kind) {
      case 'tick': {
        busyTicks++;
        seeTime(record.nowUs);
        for (const input of record.inputs as readonly ControlInput[]) {
          if (input.kind === 'track-measurement') {
            radarPlots.push({
              radarId: input.radarId,
              radarTrackId: input.radarTrackId,
              tUs: input.measurementTimeUs,
              eastM: input.eastM,
              northM: input.northM,
              upM: input.upM,
              iff: input.iff,
            });
          }
        }
        for (const command of record.commands as readonly ControlCommand[]) {
          if (command.kind === 'fire') fires.set(command.commandId, { command, issuedAtUs: record.nowUs });
          else if (command.kind === 'abort') abortCommands++;
          else if (command.kind === 'safe') safeCommands++;
        }
        for (const event of record.events as readonly ControlEvent[]) {
          digestEvent(event, tracks, engagements, weaponsControl, operatorResults, inputRejections);
        }
        break;
      }
      case 'idle':
        forEachIdleTick(record, (_tick, nowUs) => {
          idleTicks++;
          seeTime(nowUs);
        });
        break;
      case 'audit':
        audit.push(record);
        break;
      case 'end':
        end = record;
        break;
      default:
        break;
    }
  }
  if (firstUs > lastUs) firstUs = lastUs = 0;
  return {
    manifest: run.manifest,
    complete: run.complete,
    truncatedTail: run.truncatedTail,
    firstUs,
    lastUs,
    busyTicks,
    idleTicks,
    fires,
    abortCommands,
    safeCommands,
    tracks,
    engagements,
    weaponsControl,
    operatorResults,
    inputRejections,
    radarPlots,
    audit,
    end,
  };
}

function digestEvent(
  event: ControlEvent,
  tracks: Map<number, HostTrackLife>,
  engagements: Map<number, EngagementEvent[]>,
  weaponsControl: WeaponsControlChange[],
  operatorResults: OperatorCommandResultEvent[],
  inputRejections: Record<string, number>,
): void {
  switch (event.kind) {
    case 'track': {
      const life = tracks.get(event.trackId);
      if (event.transition === 'created' && life === undefined) {
        tracks.set(event.trackId, {
          trackId: event.trackId,
          createdUs: event.atUs,
          iff: event.iff,
          endedUs: null,
          endTransition: null,
        });
        return;
      }
      if (life === undefined) return;
      life.iff = event.iff;
      if (event.transition === 'destroyed' || event.transition === 'dropped') {
        life.endedUs = event.atUs;
        life.endTransition = event.transition;
      }
      return;
    }
    case 'engagement': {
      const list = engagements.get(event.engagementId);
      if (list === undefined) engagements.set(event.engagementId, [event]);
      else list.push(event);
      return;
    }
    case 'weapons-control':
      weaponsControl.push({ atUs: event.atUs, from: event.from, to: event.to, operatorIds: event.operatorIds });
      return;
    case 'operator-command-result':
      operatorResults.push(event);
      return;
    case 'input-rejected':
      inputRejections[event.reason] = (inputRejections[event.reason] ?? 0) + 1;
      return;
    default:
      return;
  }
}
