import { ARM_HEARTBEAT_FRESH_US } from '../../src/protocol/timing-rules.js';
import type { DeviceBehaviour } from '../behaviours/behaviour.js';
import type { SimulatedLauncher } from './launcher-firmware.js';

/**
 * ARM (ICD-LNCH-002, docs/protocol.md §12.2): from SAFE, ACK → ARMING and a latched watchdog is
 * cleared (ICD-LNCH-004), or NAK no-heartbeat without a host HEARTBEAT within 250 ms; ACK with
 * no effect in ARMING and ARMED; NAK bad-state in FIRING and FAULT (ICD-LNCH-012).
 */
export const armBehaviour: DeviceBehaviour<SimulatedLauncher> = {
  name: 'arm',
  onHostMessage(ctx) {
    if (ctx.message.type !== 'ARM') return false;
    const launcher = ctx.device;
    const state = launcher.state;
    if (state === 'fault' || state === 'firing') ctx.nak('bad-state');
    else if (state === 'arming' || state === 'armed') ctx.ack();
    else if (!launcher.hostHeartbeatWithin(ARM_HEARTBEAT_FRESH_US)) ctx.nak('no-heartbeat');
    else {
      ctx.ack();
      launcher.beginArming();
    }
    return true;
  },
};

/**
 * SAFE: always accepted — before HELLO, with any command id — and at once from any state,
 * aborting a pending FIRE (ICD-LNCH-003); FAULT stays FAULT until its fault has cleared (ICD-LNCH-012).
 */
export const safeBehaviour: DeviceBehaviour<SimulatedLauncher> = {
  name: 'safe',
  onHostMessage(ctx) {
    if (ctx.message.type !== 'SAFE') return false;
    ctx.ack();
    ctx.device.goSafe('safe');
    return true;
  },
};

/**
 * SLEW: NAK bad-field outside az [0, 360), el [0, 90] in every state (ICD-LNCH-011); bad-state
 * in FAULT (ICD-LNCH-012); busy while a FIRE is pending or executing; otherwise ACK and move.
 */
export const slewBehaviour: DeviceBehaviour<SimulatedLauncher> = {
  name: 'slew',
  onHostMessage(ctx) {
    const message = ctx.message;
    if (message.type !== 'SLEW') return false;
    const { azimuthDeg, elevationDeg } = message;
    const launcher = ctx.device;
    if (!(azimuthDeg >= 0 && azimuthDeg < 360 && elevationDeg >= 0 && elevationDeg <= 90)) ctx.nak('bad-field');
    else if (launcher.state === 'fault') ctx.nak('bad-state');
    else if (launcher.fireInProgress) ctx.nak('busy');
    else {
      ctx.ack();
      launcher.slew.command({ azimuthDeg, elevationDeg }, launcher.clock.nowUs());
    }
    return true;
  },
};

/**
 * FIRE (ICD-LNCH-005..009, docs/protocol.md §12.3): the gates answered steps 1–3 (not-handshaken,
 * retransmission, duplicate-command); then the first of bad-state / watchdog-latched / busy (not
 * ARMED), no-rounds, busy (one pending), late, too-far-ahead, out-of-envelope. Accepted: ACK, then
 * it executes at executeAtUs in the launcher clock.
 */
export const fireBehaviour: DeviceBehaviour<SimulatedLauncher> = {
  name: 'fire',
  onHostMessage(ctx) {
    const message = ctx.message;
    if (message.type !== 'FIRE') return false;
    const refusal = ctx.device.fireRefusal(message, ctx.receivedAtDeviceUs);
    if (refusal !== undefined) ctx.nak(refusal);
    else {
      ctx.ack();
      ctx.device.scheduleFire(message, ctx.receivedAtUs);
    }
    return true;
  },
};

/** ABORT: cancels the pending FIRE it names, launcher stays ARMED; otherwise NAK bad-state (ICD-LNCH-010). */
export const abortBehaviour: DeviceBehaviour<SimulatedLauncher> = {
  name: 'abort',
  onHostMessage(ctx) {
    const message = ctx.message;
    if (message.type !== 'ABORT') return false;
    if (ctx.device.pending?.commandId !== message.fireCommandId) ctx.nak('bad-state');
    else {
      ctx.ack();
      ctx.device.abortFire(message.fireCommandId);
    }
    return true;
  },
};

/** The launcher's own behaviours, between the gates and the session behaviours. */
export const LAUNCHER_BEHAVIOURS: readonly DeviceBehaviour<SimulatedLauncher>[] = [
  fireBehaviour,
  abortBehaviour,
  armBehaviour,
  safeBehaviour,
  slewBehaviour,
];
