import type { CommandExecutor, CommandOutcome, CommandProgress, VerifiedCommand } from '../bridge/index.js';
import type { OperatorCommand } from '../control/index.js';
import { type LauncherController, NakError, type RadarController, type RadarMode } from '../devices/index.js';
import { RADAR_MODES } from '../protocol/index.js';
import type { DeviceInputAdapter } from './device-input-adapter.js';
import type { SessionObserver } from './hil-session.js';
import type { BusyTickRecord } from './tick-record-codec.js';

/**
 * Device command ids for operator commands (ARM, SAFE, radar mode) come from their own range so
 * they never collide with the control core's ids (from 1) or the drivers' own (0xFF000000 up).
 */
export const OPERATOR_COMMAND_ID_BASE = 0x4000_0000;

/** Source id of operator inputs in the core's stable input order. */
export const OPERATOR_SOURCE_ID = 'operator';

/**
 * Executes commands that passed the bridge's checks (signatures, freshness, two operators):
 * orders for the control core go in as `operator-command` inputs and complete when the core
 * reports their result; ARM / SAFE / radar mode go to the drivers and complete on the device's
 * ACK. The operator's request id travels down (it is the core input's requestId; for device
 * commands it maps to the frame's command id) and the outcome comes back with it.
 */
export class SessionCommandExecutor implements CommandExecutor, SessionObserver {
  private readonly pendingCore = new Map<string, (outcome: CommandOutcome) => void>();
  private nextDeviceCommandId = OPERATOR_COMMAND_ID_BASE;
  /** Request id → device command id, for the audit trail. */
  readonly deviceCommandIds = new Map<string, number>();

  constructor(
    private readonly inputs: DeviceInputAdapter,
    private readonly radars: ReadonlyMap<string, RadarController>,
    private readonly launchers: ReadonlyMap<string, LauncherController>,
    private readonly nowUs: () => number,
    /** Device command ids; default a counter from OPERATOR_COMMAND_ID_BASE (fresh devices). */
    private readonly allocateDeviceCommandId?: () => number,
  ) {}

  execute(command: VerifiedCommand, progress: (update: CommandProgress) => void): Promise<CommandOutcome> {
    switch (command.verb) {
      case 'set-weapons-control':
        return this.toCore(command, { verb: 'set-weapons-control', status: command.args.status });
      case 'engage-track':
      case 'hold-fire':
      case 'cease-fire': {
        const trackId = Number(command.args.trackId);
        if (!Number.isSafeInteger(trackId) || trackId <= 0) return rejected('unknown-track');
        return this.toCore(command, { verb: command.verb, trackId });
      }
      case 'abort-engagement': {
        const engagementId = Number(command.args.engagementId);
        if (!Number.isSafeInteger(engagementId) || engagementId <= 0) return rejected('unknown-engagement');
        return this.toCore(command, { verb: 'abort-engagement', engagementId });
      }
      case 'arm':
      case 'safe': {
        const launcher = this.launchers.get(command.args.launcherId);
        if (launcher === undefined) return rejected('unknown-launcher');
        const commandId = this.allocate(command.id);
        progress({ status: 'accepted', detail: `${command.verb.toUpperCase()} command ${commandId} sent` });
        const sent = command.verb === 'arm' ? launcher.arm({ commandId }) : launcher.safe({ commandId });
        return sent.then(
          () => ({ status: 'completed', detail: `acknowledged (command ${commandId})` }),
          (error: unknown) => deviceFailure(error),
        );
      }
      case 'set-radar-mode': {
        const radar = this.radars.get(command.args.radarId);
        if (radar === undefined) return rejected('unknown-radar');
        if (!(RADAR_MODES as readonly string[]).includes(command.args.mode)) return rejected('unknown-mode');
        const commandId = this.allocate(command.id);
        progress({ status: 'accepted', detail: `RADAR_SET_MODE command ${commandId} sent` });
        return radar.setMode({ commandId, mode: command.args.mode as RadarMode }).then(
          () => ({ status: 'completed', detail: `acknowledged (command ${commandId})` }),
          (error: unknown) => deviceFailure(error),
        );
      }
    }
  }

  onBusyTick(record: BusyTickRecord): void {
    if (this.pendingCore.size === 0) return;
    for (const event of record.events) {
      if (event.kind !== 'operator-command-result') continue;
      const settle = this.pendingCore.get(event.requestId);
      if (settle === undefined) continue;
      this.pendingCore.delete(event.requestId);
      settle(
        event.result === 'accepted'
          ? { status: 'completed' }
          : { status: 'rejected', reason: event.reason ?? 'rejected-by-core' },
      );
    }
  }

  private toCore(command: VerifiedCommand, order: OperatorCommand): Promise<CommandOutcome> {
    return new Promise((resolve) => {
      this.pendingCore.set(command.id, resolve);
      this.inputs.emit({
        kind: 'operator-command',
        receivedAtUs: this.nowUs(),
        sourceId: OPERATOR_SOURCE_ID,
        seq: this.inputs.nextSeq(OPERATOR_SOURCE_ID),
        requestId: command.id,
        operatorIds: command.operators,
        command: order,
      });
    });
  }

  private allocate(requestId: string): number {
    const commandId = this.allocateDeviceCommandId?.() ?? this.nextDeviceCommandId++;
    this.deviceCommandIds.set(requestId, commandId);
    return commandId;
  }
}

function rejected(reason: string): Promise<CommandOutcome> {
  return Promise.resolve({ status: 'rejected', reason });
}

function deviceFailure(error: unknown): CommandOutcome {
  if (error instanceof NakError) return { status: 'rejected', reason: `device-nak-${error.reason}` };
  const code = (error as { code?: string }).code ?? 'error';
  if (code === 'ack-timeout') return { status: 'timed_out', stage: 'device-ack' };
  return { status: 'rejected', reason: `device-${code}`, detail: (error as Error).message };
}
