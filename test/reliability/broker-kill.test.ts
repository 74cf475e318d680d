import type { MqttClient } from 'mqtt';
import t from 'tap';
import { signCommand } from '../../src/bridge/command-signer.js';
import { mulberry32 } from '../../src/common/mulberry32.js';
import { OperatorClient } from '../../src/bridge/operator-client.js';
import type { CommandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { SCENARIO_NODE, startTestBridge } from '../bridge/support/bridge-scenario.js';
import { KEYS } from '../bridge/support/command-harness.js';
import { tempDir } from '../bridge/support/drive.js';
import { Mosquitto } from '../bridge/support/mosquitto.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { until } from '../bridge/support/until.js';

/**
 * Broker `kill -9` with commands in flight, many times. A real Mosquitto, a
 * ShieldlinkBridge with a recording executor, and an operator publishing signed SAFE commands
 * (QoS 1, a fresh id each) every 5 ms. Mid-stream the broker is killed with SIGKILL while the
 * operator keeps publishing into the dead connection for a moment; then it is restarted, the
 * bridge reconnects by itself, a new operator connects (the operator client never reconnects),
 * and the next cycle begins. Counted over every cycle, from the executor (what really ran) and
 * every result any operator connection saw:
 * - 0 duplicate executions: each command id executed at most once;
 * - executed + rejected + expired = sent, where executed = ran once, rejected = refused with a
 *   result (and no acceptance) and never ran, expired = never ran and no result of any kind
 *   (lost with the broker, or its result lost) — each counted from its own evidence, so an id
 *   that fits none (a `completed` command that never ran) breaks the sum; no id ran that was
 *   not sent.
 * `SHIELDLINK_BROKER_KILL_CYCLES` sets the cycles (default 5).
 */

const CYCLES = Number(process.env.SHIELDLINK_BROKER_KILL_CYCLES ?? 5);
const SEND_EVERY_MS = 5;

t.setTimeout(45_000 + CYCLES * 3_000);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function connectOperator(url: string, clock: RealClock): Promise<OperatorClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await OperatorClient.connect({
        broker: { url, connectTimeoutMs: 2_000 },
        nodeId: SCENARIO_NODE,
        clock,
        wallClock: wallClockMs,
      });
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(100);
    }
  }
}

/**
 * Close an operator whose broker may be dead: a graceful end waits for in-flight QoS 1 acks that
 * will never come, so after 500 ms the underlying client (private) is ended with force.
 */
async function closeOperator(operator: OperatorClient): Promise<void> {
  const closed = await Promise.race([operator.close().then(() => true), sleep(500).then(() => false)]);
  if (!closed) {
    const client = (operator as unknown as { client: MqttClient }).client;
    await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }
}

t.test(
  'broker kill -9 with commands in flight, many times: 0 duplicate executions, every command accounted for',
  { skip: skipUnlessTools('mosquitto') },
  async (t) => {
    const dir = tempDir('shieldlink-broker-kill-');
    const broker = await Mosquitto.start(dir.path);
    const { bridge, executor, clock } = await startTestBridge(broker.url, dir.path);
    const operators: OperatorClient[] = [];
    let bridgeStopped = false;
    t.teardown(async () => {
      for (const operator of operators) await closeOperator(operator).catch(() => undefined);
      if (!bridgeStopped) await bridge.stop().catch(() => undefined);
      await broker.stop();
      dir.cleanup();
    });
    await bridge.whenConnected();

    const random = mulberry32(8); // seeded: the same kill instants every run
    const sent: string[] = [];
    const sentInCycle: number[] = [];
    const executedAfterCycle: number[] = [];
    let publishErrors = 0;

    const sendFor = async (operator: OperatorClient, cycle: number, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const id = `c${cycle}-${sent.length}`;
        const command = signCommand(
          { id, node: SCENARIO_NODE, verb: 'safe', args: { launcherId: 'launcher-1' } },
          KEYS.alice,
          { timestampMs: wallClockMs() },
        );
        sent.push(id);
        // Not awaited: a QoS 1 publish into a dead connection never settles; it is in flight.
        operator.publishRaw('safe', JSON.stringify(command), id).catch(() => publishErrors++);
        await sleep(SEND_EVERY_MS);
      }
    };

    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const operator = await connectOperator(broker.url, clock);
      operators.push(operator);
      const before = sent.length;
      // Kill at a seeded moment 150..450 ms into the stream; keep publishing 100 ms after it.
      const killAfterMs = 150 + Math.floor(random() * 300);
      const sending = sendFor(operator, cycle, killAfterMs + 100);
      await sleep(killAfterMs);
      await broker.kill();
      await sending;
      sentInCycle.push(sent.length - before);
      await closeOperator(operator);
      await broker.restart();
      const reconnected = await until(
        () => bridge.health().connection === 'connected' && bridge.health().outages >= cycle + 1,
        20_000,
      );
      if (!reconnected)
        throw new Error(`cycle ${cycle}: the bridge did not reconnect (${JSON.stringify(bridge.health())})`);
      executedAfterCycle.push(executor.executed.length);
    }

    // A last, undisturbed stretch proves the path works after the last restart, then drain.
    const last = await connectOperator(broker.url, clock);
    operators.push(last);
    const lastBefore = sent.length;
    await sendFor(last, CYCLES, 200);
    const lastIds = sent.slice(lastBefore);
    await until(() => lastIds.every((id) => last.resultsFor(id).some((r) => r.status === 'completed')), 20_000);
    let settled = executor.executed.length;
    for (;;) {
      await sleep(500);
      if (executor.executed.length === settled) break;
      settled = executor.executed.length;
    }
    await bridge.whenIdle();
    bridgeStopped = true;
    await bridge.stop();

    // Accounting.
    const runs = new Map<string, number>();
    for (const command of executor.executed) runs.set(command.id, (runs.get(command.id) ?? 0) + 1);
    const results = new Map<string, CommandResultPayload[]>();
    for (const operator of operators)
      for (const id of sent) {
        const seen = operator.resultsFor(id);
        if (seen.length > 0) results.set(id, [...(results.get(id) ?? []), ...seen]);
      }
    const sentSet = new Set(sent);
    const duplicates = [...runs.values()].filter((n) => n > 1).length;
    const unknown = [...runs.keys()].filter((id) => !sentSet.has(id));
    // Each category by its own evidence, not as a remainder: an id that fits none of them (e.g. a
    // `completed` or `accepted` result for a command that never ran, or a refusal of a command
    // that ran is counted separately) is unaccounted for and fails the sum below.
    let executed = 0;
    let rejected = 0;
    let expired = 0;
    let redeliveriesRefused = 0;
    const unaccounted: string[] = [];
    const reasons = new Map<string, number>();
    for (const id of sent) {
      const seen = results.get(id) ?? [];
      const refusal = seen.find((r) => r.status === 'rejected');
      const acceptedOrDone = seen.some((r) => r.status === 'accepted' || r.status === 'completed');
      if (runs.has(id)) {
        executed++;
        redeliveriesRefused += seen.filter((r) => r.status === 'rejected').length;
      } else if (refusal !== undefined && !acceptedOrDone) {
        rejected++;
        const word = refusal.status === 'rejected' ? refusal.reason : '';
        reasons.set(word, (reasons.get(word) ?? 0) + 1);
      } else if (seen.length === 0) {
        expired++;
      } else {
        unaccounted.push(`${id}: ${seen.map((r) => r.status).join(',')}`);
      }
    }
    t.comment(
      `broker kill -9 x ${CYCLES}: sent ${sent.length} (per cycle ${sentInCycle.join('/')}, last stretch ${lastIds.length}), ` +
        `executed ${executed}, rejected ${rejected}${reasons.size > 0 ? ` (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''}, ` +
        `expired ${expired}; duplicate executions ${duplicates}; redeliveries refused ${redeliveriesRefused}; ` +
        `publish errors ${publishErrors}; bridge outages ${bridge.health().outages}`,
    );
    t.equal(duplicates, 0, '0 duplicate executions: every command id executed at most once');
    t.same(unknown, [], 'nothing executed that was not sent');
    t.same(unaccounted, [], 'every command that did not run was refused or never answered');
    t.equal(executed + rejected + expired, sent.length, 'executed + rejected + expired = sent');
    t.ok(executed > 0 && executed < sent.length, 'the kills cost commands: some ran, some did not');
    t.equal(executor.executed.length, executed, 'executions = distinct ids executed');
    const completedNotRun = [...results].filter(
      ([id, seen]) => seen.some((r) => r.status === 'completed') && !runs.has(id),
    );
    t.same(completedNotRun, [], 'every `completed` result an operator saw is an execution');
    t.ok(bridge.health().outages >= CYCLES, `the bridge saw every outage (${bridge.health().outages})`);
    const perCycle = executedAfterCycle.map((n, i) => n - (i === 0 ? 0 : executedAfterCycle[i - 1]!));
    t.ok(
      perCycle.every((n) => n > 0),
      `commands executed in every cycle before the kill (${perCycle.join('/')})`,
    );
    t.ok(
      lastIds.every((id) => runs.get(id) === 1),
      `after the last restart all ${lastIds.length} commands executed once`,
    );
  },
);
