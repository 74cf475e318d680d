import type { Message } from '../../src/protocol/message-types.js';
import type { SimulatedDevice } from '../device/simulated-device.js';
import type { DeviceBehaviour } from './behaviour.js';

/** Any simulated device, as the common behaviours see it. */
export type AnyDevice = SimulatedDevice<unknown>;

/**
 * `nak-all` fault: every acknowledged frame is refused and nothing executes (ICD-CMN-006: a
 * refused command has no effect).
 */
export const nakAllBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'nak-all',
  onHostMessage(ctx) {
    const reason = ctx.device.faults.nakAllReason();
    if (!ctx.acknowledged || reason === undefined) return false;
    ctx.nak(reason);
    return true;
  },
};

/**
 * A retransmission of a command already executed (same type, seq and command id) is ACKed again
 * and executes nothing (ICD-CMN-005, ICD-CMN-008). A refused one is not remembered: a refused
 * command had no effect, so its retransmission is evaluated again as new (docs/protocol.md §9).
 */
export const retransmissionBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'retransmission',
  onHostMessage(ctx) {
    return ctx.acknowledged && ctx.device.replayAnswer(ctx);
  },
};

/**
 * Commands before the first HELLO are refused not-handshaken (ICD-CMN-001); after a HELLO whose
 * schema hash differs from ours, schema-mismatch (fail closed, ICD-CMN-009). SAFE to a launcher
 * is exempt: it is always accepted (ICD-LNCH-003).
 */
export const handshakeBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'handshake',
  onHostMessage(ctx) {
    if (!ctx.acknowledged || isLauncherSafe(ctx.device, ctx.message)) return false;
    if (!ctx.device.handshaken) ctx.nak('not-handshaken');
    else if (ctx.device.schemaMismatch) ctx.nak('schema-mismatch');
    else return false;
    return true;
  },
};

/**
 * Command ids are non-zero (bad-field otherwise), and a different command reusing the id of an
 * executed FIRE is refused duplicate-command (ICD-CMN-008, ICD-LNCH-008). SAFE is exempt: it is
 * always accepted (ICD-LNCH-003).
 */
export const commandIdBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'command-id',
  onHostMessage(ctx) {
    if (!ctx.acknowledged || !('commandId' in ctx.message) || isLauncherSafe(ctx.device, ctx.message)) return false;
    if (ctx.commandId === 0) ctx.nak('bad-field');
    else if (ctx.device.commands.wasExecutedFire(ctx.commandId)) ctx.nak('duplicate-command');
    else return false;
    return true;
  },
};

/** SAFE to a launcher passes every gate (ICD-LNCH-003, docs/protocol.md §8.1 step 1); to a radar it is unsupported. */
function isLauncherSafe(device: AnyDevice, message: Message): boolean {
  return message.type === 'SAFE' && device.kind === 'launcher';
}

/** HELLO → IDENT, always, even on schema mismatch (ICD-CMN-001). */
export const helloBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'hello',
  onHostMessage(ctx) {
    if (ctx.message.type !== 'HELLO') return false;
    ctx.device.acceptHello(ctx.message);
    return true;
  },
};

/** Host HEARTBEAT: feeds the liveness the launcher's watchdog and ARM check read (ICD-LNCH-002/004). */
export const heartbeatBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'heartbeat',
  onHostMessage(ctx) {
    if (ctx.message.type !== 'HEARTBEAT') return false;
    ctx.device.noteHostHeartbeat();
    return true;
  },
};

/**
 * TIME_SYNC_REQUEST → TIME_SYNC_RESPONSE: t2 = device time at the end of reception, t3 = device
 * time when the response's first byte leaves (ICD-CMN-007; urgent, so well within 5 ms).
 */
export const timeSyncBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'time-sync',
  onHostMessage(ctx) {
    const message = ctx.message;
    if (message.type !== 'TIME_SYNC_REQUEST') return false;
    const t2 = ctx.receivedAtDeviceUs;
    ctx.device.respond((t3) => ({
      type: 'TIME_SYNC_RESPONSE',
      t1HostUs: message.t1HostUs,
      t2DeviceUs: t2,
      t3DeviceUs: Math.max(t2, t3),
    }));
    return true;
  },
};

/** ACK/NAK from the host answering one of our acknowledged frames (FIRE_REPORT). */
export const hostAnswerBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'host-answer',
  onHostMessage(ctx) {
    if (ctx.message.type !== 'ACK' && ctx.message.type !== 'NAK') return false;
    ctx.device.acknowledgedSender.onHostAnswer(ctx.message);
    return true;
  },
};

/** Last in the chain: an acknowledged frame nobody handled is refused unsupported; others are ignored. */
export const unsupportedBehaviour: DeviceBehaviour<AnyDevice> = {
  name: 'unsupported',
  onHostMessage(ctx) {
    if (ctx.acknowledged) ctx.nak('unsupported');
    return true;
  },
};

/** The gates every command passes before a device-specific behaviour sees it, highest first. */
export const GATE_BEHAVIOURS: readonly DeviceBehaviour<AnyDevice>[] = [
  nakAllBehaviour,
  handshakeBehaviour,
  retransmissionBehaviour,
  commandIdBehaviour,
];

/** The session behaviours below the device-specific ones. */
export const SESSION_BEHAVIOURS: readonly DeviceBehaviour<AnyDevice>[] = [
  helloBehaviour,
  heartbeatBehaviour,
  timeSyncBehaviour,
  hostAnswerBehaviour,
  unsupportedBehaviour,
];
