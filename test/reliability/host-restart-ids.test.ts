/**
 * Host restarts against a launcher that stays powered: one long-lived simulator (virtual time,
 * memory link), twenty host sessions one after the other, each a new LauncherController with its
 * ids and first seq from the persisted command-id state (what `shieldlink run` uses for a
 * hardware bench). Every session's ARM must arm the launcher (truth says so), its FIRE must
 * execute (truth launch record), and no command id may repeat across the sessions.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { persistedCommandIds, type SessionCommandIds } from '../../src/compose/session-command-ids.js';
import { LauncherController } from '../../src/devices/index.js';
import { decodeWireFrame } from '../../src/protocol/index.js';
import { ForwardingTransport } from '../../src/transport/forwarding-transport.js';
import { BASE_SCENARIO } from '../firmware-sim/sim-harness.js';
import { type SimLinks, simOnMemoryLinks } from '../support/sim-links.js';

/** Collects the command id and seq of every command frame the host writes. */
class CommandTap extends ForwardingTransport {
  readonly commands: { type: string; commandId: number; seq: number }[] = [];
  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    if (
      decoded.ok &&
      'commandId' in decoded.message &&
      !['ACK', 'NAK'].includes(decoded.message.type) &&
      (decoded.message.flags & 0x02) === 0
    ) {
      this.commands.push({
        type: decoded.message.type,
        commandId: decoded.message.commandId,
        seq: decoded.message.seq,
      });
    }
    return this.inner.write(bytes);
  }
}

/** One simulator that stays powered across host sessions (not started yet). */
async function longLivedLauncher(): Promise<SimLinks> {
  return simOnMemoryLinks({
    scenario: {
      ...BASE_SCENARIO,
      durationS: 3600,
      launchers: BASE_SCENARIO.launchers!.map((l) => ({ ...l, rounds: 255 })),
    },
    start: false,
  });
}

interface SessionResult {
  readonly armed: boolean;
  readonly launched: boolean;
  readonly armOutcome: string;
}

/** One host session: start, ARM, FIRE, stop (SAFE). */
async function hostSession(bench: SimLinks, tap: CommandTap, ids: SessionCommandIds): Promise<SessionResult> {
  const { clock, truth } = bench;
  const driver = new LauncherController({
    transport: tap,
    clock,
    // Virtual time on a memory link: the sync bound is not what this test is about.
    fireMaxSyncUncertaintyUs: 1_000_000,
    ...(ids.allocateDriverId === undefined ? {} : { allocateInternalCommandId: ids.allocateDriverId }),
    ...(ids.firstSeq === undefined ? {} : { firstSeq: ids.firstSeq }),
  });
  const sessionStartUs = clock.nowUs();
  const truthFrom = truth.records.length;
  driver.start();
  await clock.runUntilCondition(() => driver.linkState === 'active', clock.nowUs() + 5_000_000);
  let armOutcome = 'pending';
  driver.arm({ commandId: ids.allocateOperatorId() }).then(
    () => (armOutcome = 'completed'),
    (error: Error) => (armOutcome = `failed: ${error.message}`),
  );
  await clock.advance(1_000_000);
  const fireId = ids.coreFirstId;
  let fireOutcome = 'pending';
  driver
    .fire({
      commandId: fireId,
      trackId: 1,
      executeAtHostUs: clock.nowUs() + 500_000,
      aim: { eastM: 5000, northM: 0, upM: 3000 },
    })
    .then(
      () => (fireOutcome = 'accepted'),
      (error: Error) => (fireOutcome = `refused: ${error.message}`),
    );
  await clock.advance(1_500_000);
  const records = truth.records.slice(truthFrom) as { kind: string; state?: string; commandId?: number; tUs: number }[];
  const armed = records.some((r) => r.kind === 'launcher-state' && r.state === 'armed');
  const launched = records.some((r) => r.kind === 'launch' && r.commandId === fireId);
  const stopping = driver.stop();
  await clock.runUntilCondition(() => driver.linkState === 'stopped', clock.nowUs() + 2_000_000);
  await stopping;
  // The launcher stays powered: the next host comes 200 ms later (well inside its watchdog's view).
  await clock.advance(200_000);
  void sessionStartUs;
  void fireOutcome;
  return { armed, launched, armOutcome };
}

t.test('20 host restarts against a launcher that stays up: ARM arms, FIRE executes, no id repeats', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-restart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const stateFile = join(dir, 'bench-a.command-ids.json');
  const bench = await longLivedLauncher();
  await bench.sim.start();
  const tap = new CommandTap(bench.link('launcher-1').hostEnd);
  const firstSeqs: number[] = [];
  for (let session = 0; session < 20; session++) {
    const ids = persistedCommandIds(stateFile);
    firstSeqs.push(ids.firstSeq!);
    const result = await hostSession(bench, tap, ids);
    t.equal(result.armOutcome, 'completed', `session ${session + 1}: arm completed`);
    t.ok(result.armed, `session ${session + 1}: truth says the launcher armed`);
    t.ok(result.launched, `session ${session + 1}: truth says its FIRE executed`);
  }
  const ids = tap.commands.map((c) => c.commandId);
  t.ok(ids.length >= 20 * 4, `${ids.length} command frames sent (SAFE, ARM, FIRE, SAFE per session)`);
  const repeated = tap.commands.filter((c, i) => ids.indexOf(c.commandId) !== i);
  t.same(repeated, [], 'no command id repeats across 20 sessions');
  t.equal(new Set(firstSeqs).size, firstSeqs.length, 'each session starts its frame seq elsewhere');
  const totals = bench.sim.world.totals;
  t.equal(totals.launches, 20, 'one launch per session');
  t.equal(totals.duplicateExecutions, 0);
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { reservations: number; nextId: number };
  t.ok(state.reservations >= 20, `reservations on disk: ${state.reservations}`);
  await bench.sim.stop();
});

t.test('without persisted ids (every session numbered alike) a restarted host FIRE is refused', async (t) => {
  // The failure the persisted ids prevent: same ids and seqs each session, so the second ARM is
  // answered from the launcher's retransmission memory and nothing arms.
  const bench = await longLivedLauncher();
  await bench.sim.start();
  const tap = new CommandTap(bench.link('launcher-1').hostEnd);
  const sameEverySession = (): SessionCommandIds => {
    let operator = 0x4000_0000;
    return {
      coreFirstId: 1,
      coreLastId: 0x3fff_ffff,
      allocateOperatorId: () => operator++,
      allocateDriverId: undefined,
      firstSeq: undefined,
      stateFile: undefined,
    };
  };
  const first = await hostSession(bench, tap, sameEverySession());
  t.ok(first.armed && first.launched, 'the first session arms and fires');
  const second = await hostSession(bench, tap, sameEverySession());
  t.notOk(second.launched, 'the second session FIRE (reused id 1) does not execute');
  t.comment(`second session without persisted ids: arm ${second.armOutcome}, armed per truth ${second.armed}`);
  await bench.sim.stop();
});
