import type { DeviceBehaviour } from '../behaviours/behaviour.js';
import type { SimulatedRadar } from './radar-firmware.js';

/**
 * RADAR_SET_MODE: ACK, then the mode changes and shows in the next RADAR_STATUS (ICD-RDR-002).
 * Setting the current mode is acknowledged with no effect.
 */
export const setModeBehaviour: DeviceBehaviour<SimulatedRadar> = {
  name: 'set-mode',
  onHostMessage(ctx) {
    if (ctx.message.type !== 'RADAR_SET_MODE') return false;
    ctx.ack();
    ctx.device.setMode(ctx.message.mode);
    return true;
  },
};

/** The radar's own behaviours, between the gates and the session behaviours. */
export const RADAR_BEHAVIOURS: readonly DeviceBehaviour<SimulatedRadar>[] = [setModeBehaviour];
