import type { MqttClient } from 'mqtt';
import { ledgerTopic, type NodePublicKey } from '../../bridge/index.js';
import { type LedgerPolicy, LedgerStreamVerifier, type LiveFinding } from '../../ledger/index.js';
import { RealClock } from '../../time/real-clock.js';
import type { TimerHandle } from '../../time/clock.js';
import { type CommandIo, EXIT_OK, EXIT_RUNTIME, EXIT_VERDICT_FAIL } from '../command.js';

/** Largest ledger line accepted from the broker (longer ones are findings, not parsed). */
const MAX_LINE_BYTES = 1 << 20;

export interface LiveVerifyOptions {
  readonly broker: string;
  readonly nodeId: string;
  readonly key: NodePublicKey;
  readonly policy: LedgerPolicy;
  readonly json: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Stop after this long without a line, s (null: follow until the final head). */
  readonly idleS: number | null;
}

/**
 * `shieldlink verify --live`: subscribe to the node's `shared/ledger` topic and check every line
 * as it arrives (LedgerStreamVerifier: bounded memory), printing each finding at once — a text
 * line, or with --json one JSON object per line. Ends at the ledger's final head, after
 * `idleS` without a line, or on SIGINT/SIGTERM; exit 0 when nothing was found and the ledger
 * closed, 1 on any finding or a feed that stopped before its final head, 3 when the broker
 * cannot be reached.
 */
export async function verifyLive(options: LiveVerifyOptions, io: CommandIo): Promise<number> {
  const say = (finding: LiveFinding): void => {
    if (options.json) {
      io.stdout.write(JSON.stringify(finding) + '\n');
      return;
    }
    if (finding.kind === 'integrity')
      io.stdout.write(`VIOLATION line ${finding.problem.line}: ${finding.problem.rule}: ${finding.problem.message}\n`);
    else if (finding.kind === 'compliance')
      io.stdout.write(`VIOLATION ${finding.violation.rule}: ${finding.violation.message}\n`);
    else if (finding.kind === 'joined-late') io.stdout.write(`note: ${finding.message}\n`);
    else
      io.stdout.write(
        `head ${finding.head.n}: ${finding.head.size} entries, root ${String(finding.head.root).slice(0, 16)}… ${finding.verified ? 'verified' : 'NOT verified'}${finding.head.final === true ? ' (final)' : ''}\n`,
      );
  };
  const verifier = new LedgerStreamVerifier(options.key, options.policy, say);
  let client: MqttClient;
  try {
    client = await (
      await import('mqtt')
    ).connectAsync(options.broker, {
      clientId: `shieldlink-verify-${options.nodeId}-${process.pid}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
  } catch (error) {
    io.stderr.write(`shieldlink verify: cannot connect to ${options.broker}: ${(error as Error).message}\n`);
    return EXIT_RUNTIME;
  }
  const clock = new RealClock();
  const topic = ledgerTopic(options.nodeId);
  return await new Promise<number>((resolve) => {
    let idleTimer: TimerHandle | null = null;
    let done = false;
    const finish = (ended: boolean): void => {
      if (done) return;
      done = true;
      idleTimer?.cancel();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      if (ended) verifier.end();
      const head = verifier.lastValidHead;
      const facts = `node ${options.nodeId}, ${verifier.entries} entries, ${verifier.firesSeen} FIREs; ${head === null ? 'no verified head' : `head ${head.n} size ${head.size} root ${head.root.slice(0, 16)}…`}`;
      const pass = verifier.problems === 0 && verifier.violations === 0 && verifier.closed;
      const line = pass
        ? `ledger PASS (live): ${facts}; integrity intact, every FIRE compliant with ${options.policy.partner}'s policy`
        : `ledger FAIL (live): ${facts}; ${verifier.problems} integrity problem(s), ${verifier.violations} policy violation(s)${verifier.closed ? '' : ', not closed'}`;
      io.stdout.write(options.json ? JSON.stringify({ kind: 'verdict', pass, line }) + '\n' : line + '\n');
      client.end(true, () => resolve(pass ? EXIT_OK : EXIT_VERDICT_FAIL));
    };
    const interrupt = (): void => finish(true);
    process.on('SIGINT', interrupt);
    process.on('SIGTERM', interrupt);
    const armIdle = (): void => {
      if (options.idleS === null) return;
      idleTimer?.cancel();
      idleTimer = clock.setTimer(options.idleS * 1e6, () => finish(true));
    };
    client.on('message', (_topic, payload) => {
      if (done) return;
      armIdle();
      if (payload.length > MAX_LINE_BYTES) verifier.line('"oversized line"');
      else verifier.line(payload.toString('utf8'));
      if (verifier.closed) finish(false);
    });
    client.on('close', () => finish(true));
    client.subscribe(topic, { qos: 1 }, (error) => {
      if (error) {
        io.stderr.write(`shieldlink verify: cannot subscribe to ${topic}: ${error.message}\n`);
        done = true;
        client.end(true, () => resolve(EXIT_RUNTIME));
        return;
      }
      if (!options.json) io.stdout.write(`following ${topic} on ${options.broker}\n`);
      armIdle();
    });
  });
}
