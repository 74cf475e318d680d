import { join } from 'node:path';
import {
  BlockCommandIdAllocator,
  type CommandIdBlock,
  CommandIdStore,
  firstSeqOfSession,
} from '../devices/command-id-store.js';
import { OPERATOR_COMMAND_ID_BASE } from '../session/session-command-executor.js';

/** Ids the control core may use in one session: 2^20 (a raid uses a few hundred). */
export const CORE_COMMAND_ID_BLOCK = 1 << 20;
/** Operator and driver ids are reserved 4096 at a time, the next block when one is used up. */
export const SUB_COMMAND_ID_BLOCK = 4096;

/** Where command ids and frame seqs of one host session come from. */
export interface SessionCommandIds {
  /** The control core's range (engagement.firstCommandId / lastCommandId). */
  readonly coreFirstId: number;
  readonly coreLastId: number;
  /** Ids of operator device commands (ARM, SAFE, radar mode). */
  readonly allocateOperatorId: () => number;
  /** Ids of the drivers' own commands (SAFE on activation and stop); undefined: the drivers' default. */
  readonly allocateDriverId: (() => number) | undefined;
  /** First frame seq of every link; undefined: 0. */
  readonly firstSeq: number | undefined;
  /** The persisted state file, when there is one. */
  readonly stateFile: string | undefined;
}

/**
 * Ids for a bench whose devices this run starts (a simulator, in-process or in its own process):
 * the devices are new, so the numbering is the same every run and recordings stay repeatable.
 */
export function freshDeviceCommandIds(): SessionCommandIds {
  let next = OPERATOR_COMMAND_ID_BASE;
  return {
    coreFirstId: 1,
    coreLastId: OPERATOR_COMMAND_ID_BASE - 1,
    allocateOperatorId: () => next++,
    allocateDriverId: undefined,
    firstSeq: undefined,
    stateFile: undefined,
  };
}

/** The state file of a node's command ids: beside its runs. */
export function commandIdStateFile(outputDir: string, nodeId: string): string {
  return join(outputDir, `${nodeId}.command-ids.json`);
}

/**
 * Ids for devices that outlive the host (real controllers, or a simulator started on its own):
 * every id of this session comes from blocks reserved durably in `stateFile` before use, so no
 * id repeats across host sessions, and frame seqs start elsewhere each session. Throws
 * CommandIdStoreError when the state file cannot be read or written (nothing is started).
 */
export function persistedCommandIds(stateFile: string): SessionCommandIds {
  const store = new CommandIdStore(stateFile);
  const core: CommandIdBlock = store.reserve(CORE_COMMAND_ID_BLOCK);
  const operators = new BlockCommandIdAllocator(store, SUB_COMMAND_ID_BLOCK);
  const drivers = new BlockCommandIdAllocator(store, SUB_COMMAND_ID_BLOCK);
  return {
    coreFirstId: core.firstId,
    coreLastId: core.lastId,
    allocateOperatorId: operators.allocate,
    allocateDriverId: drivers.allocate,
    firstSeq: firstSeqOfSession(core.reservation),
    stateFile,
  };
}
