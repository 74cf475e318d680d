import { type MessageBody, SCHEMA_HASH } from '../../protocol/index.js';
import { type CheckContext, describeAnswer, describeCommand } from '../check-context.js';
import { currentStatus } from '../device-state.js';
import {
  abortableFire,
  armWithPendingFire,
  cancelUnexpectedFire,
  commandSafe,
  ensureHeartbeat,
} from '../launcher-ops.js';
import type { RuleCheck } from '../rule-check.js';

/** A schema hash that is not ours (every bit flipped). */
export const FOREIGN_SCHEMA_HASH = ~SCHEMA_HASH >>> 0;

/** Expect NAK `reason` to `body`; an accepted FIRE is cancelled before the check fails. */
async function expectNakTo(ctx: CheckContext, body: MessageBody, reason: string, what: string): Promise<void> {
  ctx.step(`${describeCommand(body)} ${what}`);
  const outcome = await ctx.command(body);
  if (outcome.answer?.type === 'ACK' && body.type === 'FIRE') await cancelUnexpectedFire(ctx, body.commandId);
  if (outcome.answer?.type !== 'NAK' || outcome.answer.reason !== reason) {
    ctx.fail(`expected NAK ${reason} to ${describeCommand(body)} ${what}, got ${describeAnswer(outcome)}`);
  }
}

/** A command a device accepts in its known state with no visible effect (radar: its mode; launcher: ARM with heartbeat). */
async function harmlessCommand(ctx: CheckContext): Promise<MessageBody> {
  const status = await currentStatus(ctx);
  if (status.type === 'RADAR_STATUS')
    return { type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: status.mode };
  await ensureHeartbeat(ctx);
  return { type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg: 10, elevationDeg: 10 };
}

/**
 * ICD-CMN-009: HELLO with a foreign schema hash → IDENT with the device's own hash; then a
 * command → NAK schema-mismatch with no effect; HELLO with our hash → the same kind of command ACK.
 */
export const cmn009Check: RuleCheck = {
  ruleId: 'ICD-CMN-009',
  title: 'after a HELLO with a foreign schema hash, IDENT with its own hash and every command refused schema-mismatch',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    ctx.step('HELLO with a foreign schema hash');
    const hello = await ctx.send({ type: 'HELLO', schemaHash: FOREIGN_SCHEMA_HASH, hostTimeUs: 0 });
    const ident = await ctx.nextOf('IDENT', ctx.scaled(250_000), { from: hello.cursor });
    if (ident === undefined) ctx.fail('no IDENT in answer to a HELLO with a foreign schema hash');
    if (ident.message.schemaHash === FOREIGN_SCHEMA_HASH) {
      ctx.fail(`IDENT echoes the foreign schema hash 0x${FOREIGN_SCHEMA_HASH.toString(16)} instead of its own`);
    }
    await expectNakTo(ctx, await harmlessCommand(ctx), 'schema-mismatch', 'after the foreign HELLO');
    ctx.step('HELLO with our schema hash');
    await ctx.hello();
    const body = await harmlessCommand(ctx);
    ctx.step(`${describeCommand(body)} after a HELLO with the right hash`);
    const outcome = await ctx.command(body);
    if (outcome.answer?.type !== 'ACK') {
      ctx.fail(
        `after a HELLO with the right hash ${describeCommand(body)} got ${describeAnswer(outcome)}, expected ACK`,
      );
    }
  },
};

/**
 * ICD-CMN-010: every acknowledged message of the other device kind → NAK unsupported, no effect.
 */
export const cmn010Check: RuleCheck = {
  ruleId: 'ICD-CMN-010',
  title: 'messages of the other device kind are refused with NAK unsupported',
  devices: ['radar', 'launcher'],
  async run(ctx: CheckContext) {
    const bodies: MessageBody[] =
      ctx.device === 'launcher'
        ? [
            { type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: 'standby' },
            { type: 'RADAR_SET_MODE', commandId: ctx.newCommandId(), mode: 'search' },
          ]
        : [
            { type: 'ARM', commandId: ctx.newCommandId() },
            { type: 'SAFE', commandId: ctx.newCommandId() },
            { type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg: 10, elevationDeg: 10 },
            {
              type: 'FIRE',
              commandId: ctx.newCommandId(),
              trackId: 0,
              executeAtUs: 0,
              aimEastM: 0,
              aimNorthM: 0,
              aimUpM: 20_000,
            },
            { type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: ctx.newCommandId() },
          ];
    // That a refused message changes nothing is ICD-CMN-006's, judged there.
    for (const body of bodies) await expectNakTo(ctx, body, 'unsupported', `to a ${ctx.device}`);
  },
};

/**
 * ICD-CMN-011, the order of the command checks, on cases where two apply: commandId 0 before
 * unsupported and before the state (ARM with id 0 without heartbeat → bad-field); on a launcher
 * the id of an executed FIRE before the state (FIRE while SAFE → duplicate-command) and the SLEW
 * range before busy.
 */
export const cmn011Check: RuleCheck = {
  ruleId: 'ICD-CMN-011',
  title: 'when several refusals apply, the first in the ICD order is sent',
  devices: ['radar', 'launcher'],
  dependsOn: ['ICD-CMN-008', 'ICD-LNCH-002', 'ICD-LNCH-010', 'ICD-LNCH-008', 'ICD-LNCH-011', 'ICD-CMN-007'],
  async run(ctx: CheckContext) {
    if (ctx.device === 'radar') {
      await expectNakTo(ctx, { type: 'ARM', commandId: 0 }, 'bad-field', '(commandId 0 and unsupported)');
      await expectNakTo(ctx, { type: 'RADAR_SET_MODE', commandId: 0, mode: 'standby' }, 'bad-field', '(commandId 0)');
      return;
    }
    await expectNakTo(
      ctx,
      { type: 'RADAR_SET_MODE', commandId: 0, mode: 'standby' },
      'bad-field',
      '(commandId 0 and unsupported)',
    );
    ctx.step('silencing the host heartbeat');
    ctx.probe.stopHeartbeat();
    await ctx.sleep(ctx.scaled(300_000));
    await expectNakTo(ctx, { type: 'ARM', commandId: 0 }, 'bad-field', '(commandId 0 and no heartbeat)');
    ctx.probe.startHeartbeat();
    const { fire } = await armWithPendingFire(ctx, 'its id to be reused');
    await expectNakTo(
      ctx,
      { type: 'SLEW', commandId: ctx.newCommandId(), azimuthDeg: 400, elevationDeg: 10 },
      'bad-field',
      '(out of range while a FIRE is pending)',
    );
    ctx.step('ABORT');
    await ctx.expectAck({ type: 'ABORT', commandId: ctx.newCommandId(), fireCommandId: fire.commandId });
    await commandSafe(ctx);
    const reuse = await abortableFire(ctx, fire.commandId);
    await expectNakTo(ctx, reuse, 'duplicate-command', `reusing executed FIRE id ${fire.commandId} while SAFE`);
    ctx.note('order judged on 4 pairs of refusals');
  },
};
