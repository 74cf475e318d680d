import { OutputsHasher } from './outputs-hasher.js';
import { forEachIdleTick, type RunManifest } from './run-file-format.js';
import type { RunFileContents } from './run-reader.js';

/** The control core as replay drives it: one step per tick, outputs as recorded. */
export interface ReplayableCore {
  step(nowUs: number, inputs: readonly unknown[]): { commands: readonly unknown[]; events: readonly unknown[] };
  /** The threat picture as the run file's `threats` lines hold it; without it they are not checked. */
  threats?(): readonly unknown[];
}

/** Builds a fresh core from a recording's manifest (its coreConfig). */
export type ReplayCoreFactory = (manifest: RunManifest) => ReplayableCore;

/** The verdict of a replay. */
export type ReplayVerdict =
  | { readonly identical: true; readonly ticks: number; readonly outputsSha256: string }
  | {
      readonly identical: false;
      readonly ticks: number;
      /** First tick whose outputs differ, with both sides (or a whole-run reason). */
      readonly firstDivergence: {
        readonly tick: number;
        readonly recorded: unknown;
        readonly replayed: unknown;
      } | null;
      readonly reason: string;
    };

/**
 * Re-run the core over the recorded inputs, tick by tick (idle ticks included), and compare
 * its outputs with the recording. Identical means every tick's outputs match, every `threats`
 * line equals the replayed core's threat picture at that instant (when the core offers one), and
 * the recomputed SHA-256 equals the one in the end record.
 */
export function replayRun(contents: RunFileContents, makeCore: ReplayCoreFactory): ReplayVerdict {
  const core = makeCore(contents.manifest);
  const hasher = new OutputsHasher();
  let ticks = 0;
  let recordedHash: string | undefined;
  let lastTick = -1;
  for (const record of contents.records) {
    if (record.kind === 'idle') {
      let divergence: ReplayVerdict | undefined;
      forEachIdleTick(record, (tick, nowUs) => {
        ticks++;
        lastTick = tick;
        const out = core.step(nowUs, []);
        if (out.commands.length === 0 && out.events.length === 0) return true;
        divergence = diverged(ticks, tick, { commands: [], events: [] }, out, 'idle tick produced outputs on replay');
        return false;
      });
      if (divergence !== undefined) return divergence;
    } else if (record.kind === 'tick') {
      ticks++;
      lastTick = record.tick;
      const out = core.step(record.nowUs, record.inputs);
      const recorded = JSON.stringify([record.commands, record.events]);
      const replayed = JSON.stringify([out.commands, out.events]);
      if (recorded !== replayed) {
        return diverged(
          ticks,
          record.tick,
          { commands: record.commands, events: record.events },
          out,
          'outputs differ',
        );
      }
      hasher.addTick(record.tick, out.commands, out.events);
    } else if (record.kind === 'threats' && core.threats !== undefined) {
      const replayed = core.threats();
      if (JSON.stringify(replayed) !== JSON.stringify(record.threats)) {
        return diverged(
          ticks,
          lastTick,
          { threatsAtUs: record.nowUs, threats: record.threats },
          replayed,
          'threat picture differs',
        );
      }
    } else if (record.kind === 'end') {
      recordedHash = record.outputsSha256;
    }
  }
  const outputsSha256 = hasher.digest();
  if (recordedHash === undefined) {
    return { identical: false, ticks, firstDivergence: null, reason: 'recording has no end record (incomplete run)' };
  }
  if (recordedHash !== outputsSha256) {
    return {
      identical: false,
      ticks,
      firstDivergence: null,
      reason: `outputs hash ${outputsSha256} != recorded ${recordedHash}`,
    };
  }
  return { identical: true, ticks, outputsSha256 };
}

function diverged(ticks: number, tick: number, recorded: unknown, replayed: unknown, reason: string): ReplayVerdict {
  return { identical: false, ticks, firstDivergence: { tick, recorded, replayed }, reason };
}
