import type { CheckContext } from './check-context.js';
import { recoverLauncher } from './launcher-ops.js';
import { recoverRadar } from './radar-ops.js';

/**
 * Put the device in the known state every check starts from, whatever the previous check left:
 * HELLO → IDENT, host heartbeat running; a launcher SAFE (any pending FIRE cancelled); a radar
 * back in the mode the kit found it in.
 */
export function recoverDevice(ctx: CheckContext): Promise<void> {
  return ctx.device === 'launcher' ? recoverLauncher(ctx) : recoverRadar(ctx);
}
