import type { Message } from '../protocol/index.js';
import type { CheckContext } from './check-context.js';
import type { RadarMode } from './device-state.js';
import { formatMs } from './format-ms.js';

type RadarStatus = Message<'RADAR_STATUS'>;

/** Known state (before every radar check): HELLO answered, heartbeat running, the mode the kit found. */
export async function recoverRadar(ctx: CheckContext): Promise<void> {
  ctx.step('HELLO');
  await ctx.hello();
  ctx.probe.startHeartbeat();
  ctx.step('reading the radar status');
  const status = await expectRadarStatus(ctx, '', () => true);
  const initial = ctx.session.initialStatus;
  const mode = initial?.type === 'RADAR_STATUS' ? initial.mode : undefined;
  if (mode !== undefined && status.message.mode !== mode) await setRadarMode(ctx, mode);
}

/** RADAR_SET_MODE → ACK → a status showing the mode (ICD-RDR-002). */
export async function setRadarMode(
  ctx: CheckContext,
  mode: RadarMode,
): Promise<{ ackAtUs: number; status: { atUs: number; message: RadarStatus } }> {
  ctx.step(`RADAR_SET_MODE ${mode}`);
  const outcome = await ctx.expectAck({ type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode });
  const status = await expectRadarStatus(
    ctx,
    `showing mode ${mode} after RADAR_SET_MODE was acknowledged`,
    (s) => s.mode === mode,
    {
      from: outcome.sent.cursor,
    },
  );
  return { ackAtUs: outcome.answerAtUs!, status };
}

/** The next RADAR_STATUS matching `where`, or a failure naming `what`. */
export async function expectRadarStatus(
  ctx: CheckContext,
  what: string,
  where: (status: RadarStatus) => boolean,
  options: { from?: number; timeoutUs?: number } = {},
): Promise<{ atUs: number; message: RadarStatus }> {
  const timeoutUs = options.timeoutUs ?? ctx.statusWaitUs();
  const found = await ctx.nextOf('RADAR_STATUS', timeoutUs, { ...options, where });
  if (found === undefined) {
    const last = ctx.probe.last('RADAR_STATUS')?.message;
    const seen = last === undefined ? 'no RADAR_STATUS at all' : `last status: mode ${last.mode}`;
    ctx.fail(`no RADAR_STATUS${what === '' ? '' : ` ${what}`} within ${formatMs(timeoutUs)} (${seen})`);
  }
  return found;
}
