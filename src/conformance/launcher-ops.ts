import type { Message, MessageBody } from '../protocol/index.js';
import { HEARTBEAT_PERIOD_US, LAUNCHER_WATCHDOG_US, STATUS_PERIOD_US } from '../protocol/timing-rules.js';
import type { CheckContext, CommandOutcome } from './check-context.js';
import { formatMs } from './format-ms.js';

/**
 * Every FIRE the kit expects a launcher to accept without `allowFire` is scheduled this far
 * ahead, so that it is aborted (ABORT, then SAFE) long before it could execute.
 */
export const SAFE_FIRE_LEAD_US = 10_000_000;
/** How long the kit, silent, watches a launcher found not SAFE for its watchdog to make it SAFE. */
export const NOT_SAFE_WATCH_US = LAUNCHER_WATCHDOG_US + STATUS_PERIOD_US + 50_000;
/** How long an accepted ARM may take to reach ARMED (the ICD default is 500 ms; a device may take less). */
export const ARMING_WAIT_US = 3_000_000;

type LauncherStatus = Message<'LAUNCHER_STATUS'>;
/** A FIRE as the kit sends it. */
export type FireBody = Extract<MessageBody, { type: 'FIRE' }>;

/** The launcher's last status seen in this check, if any. */
export function lastLauncherStatus(ctx: CheckContext): LauncherStatus | undefined {
  return ctx.probe.last('LAUNCHER_STATUS')?.message;
}

/** The next LAUNCHER_STATUS at or after `from` matching `where`, or a failure naming `what`. */
export async function expectLauncherStatus(
  ctx: CheckContext,
  what: string,
  where: (status: LauncherStatus) => boolean,
  options: { from?: number; timeoutUs?: number } = {},
): Promise<{ atUs: number; message: LauncherStatus }> {
  const timeoutUs = options.timeoutUs ?? ctx.statusWaitUs();
  const found = await ctx.nextOf('LAUNCHER_STATUS', timeoutUs, { ...options, where });
  if (found === undefined) {
    const last = lastLauncherStatus(ctx);
    const seen = last === undefined ? 'no LAUNCHER_STATUS at all' : `last status: ${describeLauncherStatus(last)}`;
    ctx.fail(`no LAUNCHER_STATUS ${what} within ${formatMs(timeoutUs)} (${seen})`);
  }
  return found;
}

/** `armed, watchdog ok, pending FIRE 0` for messages. */
export function describeLauncherStatus(status: LauncherStatus): string {
  const pending = status.pendingFireCommandId === 0 ? '' : `, FIRE ${status.pendingFireCommandId} pending`;
  return `${status.state}, watchdog ${status.watchdog}${pending}`;
}

/** Known state (before every launcher check): HELLO answered, heartbeat running, SAFE acknowledged and reported. */
export async function recoverLauncher(ctx: CheckContext): Promise<void> {
  ctx.step('HELLO');
  await ctx.hello();
  ctx.probe.startHeartbeat();
  await commandSafe(ctx);
}

/** SAFE → ACK and a status showing SAFE (ICD-LNCH-003). */
export async function commandSafe(ctx: CheckContext): Promise<{ atUs: number; message: LauncherStatus }> {
  ctx.step('SAFE');
  const outcome = await ctx.expectAck({ type: 'SAFE', commandId: ctx.newCommandId() });
  return expectLauncherStatus(ctx, 'showing SAFE after SAFE was acknowledged', (s) => s.state === 'safe', {
    from: outcome.sent.cursor,
  });
}

/**
 * Make sure the host heartbeat runs and the launcher has had one in the last period (ICD-LNCH-002
 * requires one within 250 ms of ARM).
 */
export async function ensureHeartbeat(ctx: CheckContext): Promise<void> {
  if (!ctx.probe.heartbeatRunning) ctx.probe.startHeartbeat();
  const last = ctx.probe.lastHeartbeatUs;
  const sinceUs = last === undefined ? 0 : ctx.clock.nowUs() - last;
  // One period plus line time after a (re)start: the first heartbeat has reached the device.
  if (sinceUs < HEARTBEAT_PERIOD_US) await ctx.sleep(HEARTBEAT_PERIOD_US / 5 + ctx.jitter.allowanceUs); // a wait, not a judged limit
}

/**
 * ARM with a live heartbeat ({@link ensureHeartbeat}) → ACK, under the step name `step`; fails
 * the check on any other answer. Returns the ARM's outcome; the launcher may not be ARMED yet.
 */
export async function expectArmAck(ctx: CheckContext, step = 'ARM'): Promise<CommandOutcome> {
  await ensureHeartbeat(ctx);
  ctx.step(step);
  return ctx.expectAck({ type: 'ARM', commandId: ctx.newCommandId() });
}

/** ARM with a live heartbeat → ACK → ARMED in status. Returns the ARM's outcome and the ARMED status. */
export async function armLauncher(
  ctx: CheckContext,
): Promise<{ armAckCursor: number; armed: { atUs: number; message: LauncherStatus } }> {
  const outcome = await expectArmAck(ctx);
  ctx.step('waiting for ARMED');
  const armed = await expectLauncherStatus(
    ctx,
    'showing ARMED after ARM was acknowledged',
    (s) => s.state === 'armed',
    {
      from: outcome.sent.cursor,
      timeoutUs: ctx.scaled(ARMING_WAIT_US),
    },
  );
  return { armAckCursor: outcome.sent.cursor, armed };
}

/** A FIRE at the kit's harmless aim point, executing at `executeAtUs` (launcher clock). */
export function fireCommand(ctx: CheckContext, executeAtUs: number, commandId = ctx.newCommandId()): FireBody {
  return {
    type: 'FIRE',
    commandId,
    trackId: 0,
    executeAtUs: Math.max(0, Math.round(executeAtUs)),
    aimEastM: ctx.aimPoint.eastM,
    aimNorthM: ctx.aimPoint.northM,
    aimUpM: ctx.aimPoint.upM,
  };
}

/** A FIRE scheduled SAFE_FIRE_LEAD_US ahead (abortable). */
export async function abortableFire(ctx: CheckContext, commandId?: number): Promise<FireBody> {
  return fireCommand(ctx, (await ctx.deviceNowUs()) + SAFE_FIRE_LEAD_US, commandId);
}

/** A FIRE the launcher accepted, now pending, and the outcome of sending it. */
export interface PendingFire {
  readonly fire: FireBody;
  readonly accepted: CommandOutcome;
}

/**
 * To an ARMED launcher: an abortable FIRE ({@link abortableFire}) → ACK, so that it is pending.
 * The step is `FIRE far ahead`, then ` (${why})` when given. Fails the check on any other answer.
 */
export async function sendPendingFire(ctx: CheckContext, why?: string): Promise<PendingFire> {
  const fire = await abortableFire(ctx);
  ctx.step(why === undefined ? 'FIRE far ahead' : `FIRE far ahead (${why})`);
  const accepted = await ctx.expectAck(fire);
  return { fire, accepted };
}

/**
 * ARMED with an abortable FIRE pending, the start of every check about a pending FIRE:
 * {@link armLauncher}, then {@link sendPendingFire} (`why` as there).
 */
export async function armWithPendingFire(ctx: CheckContext, why?: string): Promise<PendingFire> {
  await armLauncher(ctx);
  return sendPendingFire(ctx, why);
}

/**
 * A FIRE the launcher accepted although it should not have: ABORT it, and SAFE if the ABORT is
 * not acknowledged, so nothing executes. Never throws (the caller reports the failure).
 */
export async function cancelUnexpectedFire(ctx: CheckContext, fireCommandId: number): Promise<void> {
  try {
    const abort = await ctx.command({ type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId });
    if (abort.answer?.type !== 'ACK') await ctx.command({ type: 'SAFE', commandId: ctx.newCommandId() });
  } catch {
    // the runner sends SAFE after every launcher check anyway
  }
}
