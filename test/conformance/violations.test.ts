import { readFileSync, writeFileSync } from 'node:fs';
import t from 'tap';
import { behaviour } from '../../firmware-sim/behaviours/behaviour.js';
import type { SimulatedLauncher } from '../../firmware-sim/launcher/launcher-firmware.js';
import type { SimulatedRadar } from '../../firmware-sim/radar/radar-firmware.js';
import { type ConformanceReport, formatResultLine } from '../../src/conformance/index.js';
import { type SimBench, type SimBenchOptions, simBench } from './support/sim-bench.js';
import { CONFORMANCE_SCENARIO } from './support/sim-bench.js';
import {
  AckFlagIgnoringTransport,
  CrcIgnoringTransport,
  DroppingTransport,
  InjectingTransport,
  RewritingTransport,
  SilentDroppingTransport,
} from './support/tampering-transports.js';
import {
  longBody,
  overlongRun,
  shortBody,
  withBadCobs,
  withBadCrc,
  withFlags,
  withPayloadDelta,
  withTypeCode,
  withVersion,
} from '../../src/conformance/malformed-frames.js';
import { ICD_RULES, type Message } from '../../src/protocol/index.js';
import { swappedF32 } from '../../src/conformance/checks/byte-order-checks.js';

/**
 * The kit's own test: one deliberately broken simulated device per rule, each run through the
 * whole kit with the CI tolerance settings (--timeout-scale 3 --timing-slack-ms 1000 --strict
 * --allow-fire), each expected to fail exactly its rule and no other. Writes the table of
 * docs/conformance-violations.md (a test fails while the committed table differs; regenerate
 * with UPDATE_VIOLATION_TABLE=1).
 */

interface Violation {
  readonly rule: string;
  readonly device: 'radar' | 'launcher';
  readonly violation: string;
  readonly bench?: SimBenchOptions;
  readonly setup?: (bench: SimBench) => void;
  /** Rules to run (default: the whole kit) — for a rule the kit judges only on request. */
  readonly rules?: readonly string[];
}

const CI_SETTINGS = { timeoutScale: 3, timingSlackUs: 1_000_000, strict: true, allowFire: true } as const;

function launcher(bench: SimBench): SimulatedLauncher {
  return bench.sim.launcher('launcher-1');
}

function radar(bench: SimBench): SimulatedRadar {
  return bench.sim.radar('radar-1');
}

/** Replace the launcher's FIRE behaviour: accept a FIRE refused for `reason`. */
function acceptFireRefused(reason: string): (bench: SimBench) => void {
  return (bench) => {
    const l = launcher(bench);
    const original = l.behaviours.get('fire')!;
    l.behaviours.replace(
      'fire',
      behaviour<SimulatedLauncher>('fire', (ctx) => {
        const m = ctx.message;
        if (m.type === 'FIRE' && ctx.device.fireRefusal(m, ctx.receivedAtDeviceUs) === reason) {
          ctx.ack();
          ctx.device.scheduleFire(m, ctx.receivedAtUs);
          return true;
        }
        return original.onHostMessage(ctx);
      }),
    );
  };
}

const unpaced = (id: string) => ({ devices: { [id]: { paced: false } } });

/** Output of `id` with an invalid block made from every 37th frame, as well as the frame. */
function injecting(id: string, corrupt: (m: Message) => Uint8Array): SimBenchOptions {
  return {
    ...unpaced(id),
    wrapDeviceEnd: (device, end) => (device === id ? new InjectingTransport(end, 37, corrupt) : end),
  };
}

/** Output of `id` rewritten frame by frame. */
function rewriting(id: string, rewrite: (m: Message) => Message): SimBenchOptions {
  return {
    ...unpaced(id),
    wrapDeviceEnd: (device, end) => (device === id ? new RewritingTransport(end, rewrite) : end),
  };
}

/** Statuses of `id` sent only one in three (every 300 ms), numbering kept continuous. */
function sparseStatus(id: string, type: 'RADAR_STATUS' | 'LAUNCHER_STATUS'): SimBenchOptions {
  let n = 0;
  return {
    ...unpaced(id),
    wrapDeviceEnd: (device, end) =>
      device === id ? new SilentDroppingTransport(end, (m) => m.type === type && n++ % 3 !== 0) : end,
  };
}

/** A behaviour on top of the chain answering `answer` for messages `when` selects. */
function onTop<D>(
  pick: (bench: SimBench) => { behaviours: { add(b: unknown): void } },
  name: string,
  when: (m: Message, device: D, commandId: number) => boolean,
  answer: string,
) {
  return (bench: SimBench): void =>
    pick(bench).behaviours.add(
      behaviour<D>(name, (ctx) => {
        if (!ctx.acknowledged || !when(ctx.message, ctx.device, ctx.commandId)) return false;
        ctx.nak(answer as Parameters<typeof ctx.nak>[0]);
        return true;
      }),
    );
}

const VIOLATIONS: readonly Violation[] = [
  {
    rule: 'ICD-CMN-001',
    device: 'launcher',
    violation: 'executes commands before the first HELLO',
    setup: (bench) =>
      launcher(bench).behaviours.replace(
        'handshake',
        behaviour('handshake', (ctx) => {
          if (!ctx.acknowledged || ctx.message.type === 'SAFE' || !ctx.device.schemaMismatch) return false;
          ctx.nak('schema-mismatch');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-CMN-002',
    device: 'radar',
    violation: 'is built from another catalogue (IDENT schema hash 0x12345678)',
    bench: { devices: { 'radar-1': { schemaHash: 0x12345678 } } },
  },
  {
    rule: 'ICD-CMN-003',
    device: 'radar',
    violation: 'counts its heartbeats two by two',
    bench: {
      ...unpaced('radar-1'),
      wrapDeviceEnd: (id, end) =>
        id === 'radar-1'
          ? new RewritingTransport(end, (m) =>
              m.type === 'HEARTBEAT' ? { ...m, heartbeatCount: m.heartbeatCount * 2 } : m,
            )
          : end,
    },
  },
  {
    rule: 'ICD-CMN-005',
    device: 'launcher',
    violation: 'echoes seq + 1 in every ACK',
    bench: {
      ...unpaced('launcher-1'),
      wrapDeviceEnd: (id, end) =>
        id === 'launcher-1'
          ? new RewritingTransport(end, (m) => (m.type === 'ACK' ? { ...m, ackedSeq: (m.ackedSeq + 1) & 0xffff } : m))
          : end,
    },
  },
  {
    rule: 'ICD-CMN-007',
    device: 'launcher',
    violation: 'answers TIME_SYNC_REQUEST after 6 ms',
    setup: (bench) => bench.sim.faults('launcher-1').inject({ kind: 'slow', delayMs: 6 }),
  },
  {
    rule: 'ICD-CMN-008',
    device: 'radar',
    violation: 'accepts commandId 0',
    setup: (bench) =>
      radar(bench).behaviours.replace(
        'command-id',
        behaviour('command-id', () => false),
      ),
  },
  {
    rule: 'ICD-CMN-008',
    device: 'launcher',
    violation: 'keeps no memory of executed commands (a retransmission is executed again)',
    setup: (bench) =>
      launcher(bench).behaviours.replace(
        'retransmission',
        behaviour('retransmission', () => false),
      ),
  },
  {
    rule: 'ICD-CMN-009',
    device: 'radar',
    violation: 'ignores a foreign schema hash in HELLO',
    setup: (bench) =>
      radar(bench).behaviours.replace(
        'handshake',
        behaviour('handshake', (ctx) => {
          if (!ctx.acknowledged || ctx.device.handshaken) return false;
          ctx.nak('not-handshaken');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-CMN-010',
    device: 'launcher',
    violation: 'refuses RADAR_SET_MODE with bad-state instead of unsupported',
    setup: (bench) =>
      launcher(bench).behaviours.addAfter(
        'command-id',
        behaviour('radar-message', (ctx) => {
          if (ctx.message.type !== 'RADAR_SET_MODE') return false;
          ctx.nak('bad-state');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-FRM-009',
    device: 'radar',
    violation: 'skips a seq every 40 frames',
    bench: {
      ...unpaced('radar-1'),
      wrapDeviceEnd: (id, end) => {
        if (id !== 'radar-1') return end;
        let n = 0;
        let shift = 0;
        return new RewritingTransport(end, (m) => {
          if (++n % 40 === 0) shift++;
          return { ...m, seq: (m.seq + shift) & 0xffff };
        });
      },
    },
  },
  {
    rule: 'ICD-LNCH-002',
    device: 'launcher',
    violation: 'accepts ARM without a host HEARTBEAT',
    setup: (bench) =>
      launcher(bench).behaviours.add(
        behaviour<SimulatedLauncher>('arm-anyway', (ctx) => {
          if (ctx.message.type !== 'ARM' || ctx.device.state !== 'safe' || !ctx.device.handshaken) return false;
          if (ctx.commandId === 0 || ctx.device.commands.answerTo(ctx.message) !== undefined) return false;
          ctx.ack();
          ctx.device.beginArming();
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-LNCH-005',
    device: 'launcher',
    violation: 'refuses FIRE while SAFE with no-rounds instead of bad-state',
    setup: (bench) => {
      const l = launcher(bench);
      const original = l.behaviours.get('fire')!;
      l.behaviours.replace(
        'fire',
        behaviour<SimulatedLauncher>('fire', (ctx) => {
          if (ctx.message.type === 'FIRE' && ctx.device.state === 'safe' && ctx.device.watchdog === 'ok') {
            ctx.nak('no-rounds');
            return true;
          }
          return original.onHostMessage(ctx);
        }),
      );
    },
  },
  { rule: 'ICD-LNCH-006', device: 'launcher', violation: 'accepts a late FIRE', setup: acceptFireRefused('late') },
  {
    rule: 'ICD-LNCH-007',
    device: 'launcher',
    violation: 'accepts a FIRE 31 s ahead',
    setup: acceptFireRefused('too-far-ahead'),
  },
  {
    rule: 'ICD-LNCH-009',
    device: 'launcher',
    violation: 'launches 2 ms early',
    setup: (bench) => {
      const l = launcher(bench);
      l.behaviours.replace(
        'fire',
        behaviour<SimulatedLauncher>('fire', (ctx) => {
          const m = ctx.message;
          if (m.type !== 'FIRE') return false;
          const refusal = ctx.device.fireRefusal(m, ctx.receivedAtDeviceUs);
          if (refusal !== undefined) ctx.nak(refusal);
          else {
            ctx.ack();
            const early = m.executeAtUs - ctx.receivedAtDeviceUs > 20_000_000 ? 0 : 2_000;
            ctx.device.scheduleFire({ ...m, executeAtUs: m.executeAtUs - early }, ctx.receivedAtUs);
          }
          return true;
        }),
      );
    },
  },
  {
    rule: 'ICD-LNCH-010',
    device: 'launcher',
    violation: 'acknowledges ABORT of a FIRE that is not pending',
    setup: (bench) =>
      launcher(bench).behaviours.replace(
        'abort',
        behaviour<SimulatedLauncher>('abort', (ctx) => {
          if (ctx.message.type !== 'ABORT') return false;
          ctx.ack();
          ctx.device.abortFire(ctx.message.fireCommandId);
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-LNCH-011',
    device: 'launcher',
    violation: 'acknowledges a SLEW out of range',
    setup: (bench) =>
      launcher(bench).behaviours.add(
        behaviour<SimulatedLauncher>('slew-no-range', (ctx) => {
          const m = ctx.message;
          if (m.type !== 'SLEW' || ctx.commandId === 0 || !ctx.device.handshaken) return false;
          if (m.azimuthDeg >= 0 && m.azimuthDeg < 360 && m.elevationDeg >= 0 && m.elevationDeg <= 90) return false;
          if (ctx.device.commands.answerTo(m) !== undefined) return false;
          ctx.ack();
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-LNCH-013',
    device: 'launcher',
    violation: 'accepts a FIRE aimed below the ground or 1,000 km away',
    setup: acceptFireRefused('out-of-envelope'),
  },
  {
    rule: 'ICD-LNCH-015',
    device: 'launcher',
    violation: 'never repeats an unanswered FIRE_REPORT',
    bench: {
      ...unpaced('launcher-1'),
      wrapDeviceEnd: (id, end) =>
        id === 'launcher-1'
          ? new DroppingTransport(end, (m) => m.type === 'FIRE_REPORT' && (m.flags & 0x02) !== 0)
          : end,
    },
  },
  {
    rule: 'ICD-FRM-001',
    device: 'radar',
    violation: 'sends a block that is not valid COBS now and then',
    bench: injecting('radar-1', withBadCobs),
  },
  {
    rule: 'ICD-FRM-002',
    device: 'launcher',
    violation: 'sends a run of 300 bytes without a delimiter now and then',
    bench: injecting('launcher-1', (m) => overlongRun(m, 300)),
  },
  {
    rule: 'ICD-FRM-003',
    device: 'radar',
    violation: 'sends a frame with version 2 now and then',
    bench: injecting('radar-1', (m) => withVersion(m, 2)),
  },
  {
    rule: 'ICD-FRM-004',
    device: 'launcher',
    violation: 'sends a 6-byte body or a 257-byte body now and then',
    bench: injecting('launcher-1', (m) => (m.seq % 2 === 0 ? shortBody(m) : longBody(m))),
  },
  {
    rule: 'ICD-FRM-005',
    device: 'launcher',
    violation: 'sends a frame with a bad CRC now and then',
    bench: injecting('launcher-1', withBadCrc),
  },
  {
    rule: 'ICD-FRM-007',
    device: 'radar',
    violation: 'sends a frame with reserved flag 0x80 now and then',
    bench: injecting('radar-1', (m) => withFlags(m, m.flags | 0x80)),
  },
  {
    rule: 'ICD-FRM-007',
    device: 'launcher',
    violation: 'executes an ARM sent without the ACK-requested flag (and answers it)',
    bench: {
      wrapDeviceEnd: (id, end) => (id === 'launcher-1' ? new AckFlagIgnoringTransport(end, 0x41) : end),
    },
  },
  {
    rule: 'ICD-FRM-008',
    device: 'launcher',
    violation: 'sends a payload one byte long now and then',
    bench: injecting('launcher-1', (m) => withPayloadDelta(m, 1)),
  },
  {
    rule: 'ICD-FRM-010',
    device: 'launcher',
    violation: 'executes a SAFE with a bad CRC (skips the CRC check of SAFE only)',
    bench: {
      wrapDeviceEnd: (id, end) => (id === 'launcher-1' ? new CrcIgnoringTransport(end, 0x42) : end),
    },
  },
  {
    rule: 'ICD-FRM-011',
    device: 'radar',
    violation: 'sends a frame of unknown type 0x7f now and then',
    bench: injecting('radar-1', (m) => withTypeCode(m, 0x7f)),
  },
  {
    rule: 'ICD-CMN-004',
    device: 'launcher',
    violation: 'starts its device time at 300 s, not near 0',
    bench: {
      scenario: {
        ...CONFORMANCE_SCENARIO,
        launchers: CONFORMANCE_SCENARIO.launchers!.map((l) => ({
          ...l,
          clock: { offsetUs: 300_000_000, driftPpm: 0 },
        })),
      },
    },
  },
  {
    rule: 'ICD-CMN-006',
    device: 'radar',
    violation: 'refuses ARM unsupported but goes silent',
    setup: (bench) =>
      radar(bench).behaviours.addAfter(
        'command-id',
        behaviour<SimulatedRadar>('arm-side-effect', (ctx) => {
          if (ctx.message.type !== 'ARM') return false;
          ctx.nak('unsupported');
          ctx.device.setMode('silent');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-CMN-011',
    device: 'radar',
    violation: 'refuses ARM with commandId 0 unsupported instead of bad-field',
    setup: (bench) =>
      radar(bench).behaviours.addAfter(
        'handshake',
        behaviour<SimulatedRadar>('unsupported-first', (ctx) => {
          if (ctx.message.type === 'RADAR_SET_MODE' || ctx.commandId !== 0 || !ctx.acknowledged) return false;
          ctx.nak('unsupported');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-RDR-001',
    device: 'radar',
    violation: 'sends RADAR_STATUS every 300 ms',
    bench: sparseStatus('radar-1', 'RADAR_STATUS'),
  },
  {
    rule: 'ICD-RDR-002',
    device: 'radar',
    violation: 'acknowledges RADAR_SET_MODE silent but stays in its mode',
    setup: (bench) =>
      radar(bench).behaviours.replace(
        'set-mode',
        behaviour<SimulatedRadar>('set-mode', (ctx) => {
          if (ctx.message.type !== 'RADAR_SET_MODE') return false;
          ctx.ack();
          if (ctx.message.mode !== 'silent') ctx.device.setMode(ctx.message.mode);
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-RDR-003',
    device: 'radar',
    violation: 'stamps TRACK_REPORT with a time 1 s after the measurement',
    bench: rewriting('radar-1', (m) =>
      m.type === 'TRACK_REPORT' ? { ...m, measurementTimeUs: m.measurementTimeUs + 1_000_000 } : m,
    ),
  },
  {
    rule: 'ICD-RDR-004',
    device: 'radar',
    violation: 'numbers every track 1 (a dropped track id reused after search is entered again)',
    bench: rewriting('radar-1', (m) =>
      m.type === 'TRACK_REPORT' || m.type === 'TRACK_DROP' ? { ...m, trackId: 1 } : m,
    ),
  },
  {
    rule: 'ICD-FRM-006',
    device: 'radar',
    violation: 'sends RADAR_STATUS maxRangeM big-endian',
    bench: rewriting('radar-1', (m) => (m.type === 'RADAR_STATUS' ? { ...m, maxRangeM: swappedF32(m.maxRangeM) } : m)),
  },
  {
    rule: 'ICD-RDR-005',
    device: 'radar',
    violation: 'drops its tracks with reason lost on leaving search',
    bench: rewriting('radar-1', (m) =>
      m.type === 'TRACK_DROP' && m.reason === 'mode-change' ? { ...m, reason: 'lost' } : m,
    ),
  },
  {
    rule: 'ICD-LNCH-001',
    device: 'launcher',
    violation: 'sends only one LAUNCHER_STATUS in three (every 300 ms, and not at every change)',
    setup: (bench) => {
      const l = launcher(bench);
      const send = l.sendStatus.bind(l);
      let n = 0;
      l.sendStatus = () => {
        if (n++ % 3 === 0) send();
      };
    },
  },
  {
    rule: 'ICD-LNCH-003',
    device: 'launcher',
    violation: 'refuses SAFE with commandId 0 (bad-field)',
    setup: onTop<SimulatedLauncher>(launcher, 'safe-id-0', (m, _d, id) => m.type === 'SAFE' && id === 0, 'bad-field'),
  },
  {
    rule: 'ICD-LNCH-003',
    device: 'launcher',
    violation: 'goes SAFE on SAFE but keeps its pending FIRE',
    setup: (bench) =>
      launcher(bench).behaviours.replace(
        'safe',
        behaviour<SimulatedLauncher>('safe', (ctx) => {
          if (ctx.message.type !== 'SAFE') return false;
          ctx.ack();
          if (ctx.device.pending !== undefined && ctx.device.state === 'armed') {
            (ctx.device as unknown as { setState(state: string, cause: string): void }).setState('safe', 'safe');
          } else ctx.device.goSafe('safe');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-LNCH-004',
    device: 'launcher',
    violation: 'unlatches a tripped watchdog when heartbeats resume',
    setup: (bench) =>
      launcher(bench).behaviours.add(
        behaviour<SimulatedLauncher>('unlatch', (ctx) => {
          if (ctx.message.type === 'HEARTBEAT' && ctx.device.watchdog === 'tripped' && ctx.device.state === 'safe') {
            (ctx.device as unknown as { watchdogState: string }).watchdogState = 'ok';
            ctx.device.sendStatus();
          }
          return false;
        }),
      ),
  },
  {
    rule: 'ICD-LNCH-008',
    device: 'launcher',
    violation: 'forgets executed FIRE ids',
    setup: (bench) =>
      launcher(bench).behaviours.replace(
        'command-id',
        behaviour<SimulatedLauncher>('command-id', (ctx) => {
          if (!ctx.acknowledged || ctx.commandId !== 0 || ctx.message.type === 'SAFE' || !('commandId' in ctx.message))
            return false;
          ctx.nak('bad-field');
          return true;
        }),
      ),
  },
  {
    rule: 'ICD-LNCH-012',
    device: 'launcher',
    violation: 'acknowledges ARM in FAULT (run alone: the bench puts it in FAULT, no command can)',
    rules: ['ICD-LNCH-012'],
    setup: (bench) => {
      const l = launcher(bench);
      l.enterFault();
      l.behaviours.add(
        behaviour<SimulatedLauncher>('arm-in-fault', (ctx) => {
          if (ctx.message.type !== 'ARM' || ctx.device.state !== 'fault') return false;
          ctx.ack();
          return true;
        }),
      );
    },
  },
  {
    rule: 'ICD-LNCH-014',
    device: 'launcher',
    violation: 'refuses FIRE with no round ready bad-state instead of no-rounds',
    setup: (bench) => {
      const l = launcher(bench);
      const original = l.behaviours.get('fire')!;
      l.behaviours.replace(
        'fire',
        behaviour<SimulatedLauncher>('fire', (ctx) => {
          const m = ctx.message;
          if (m.type === 'FIRE' && ctx.device.fireRefusal(m, ctx.receivedAtDeviceUs) === 'no-rounds') {
            ctx.nak('bad-state');
            return true;
          }
          return original.onHostMessage(ctx);
        }),
      );
    },
  },
];

function failedRules(report: ConformanceReport): string[] {
  return report.results.filter((r) => r.status === 'fail').map((r) => r.ruleId);
}

const rows: string[] = [];
for (const v of VIOLATIONS) {
  t.test(`${v.device} that ${v.violation} fails ${v.rule} and nothing else`, async (t) => {
    const bench = await simBench(v.bench ?? {});
    v.setup?.(bench);
    const report = await bench.conformance(`${v.device}-1`, {
      ...CI_SETTINGS,
      ...(v.rules === undefined ? {} : { rules: v.rules }),
    });
    const failed = failedRules(report);
    t.same(
      failed,
      [v.rule],
      report.results
        .filter((r) => r.status !== 'pass')
        .map(formatResultLine)
        .join('\n'),
    );
    const fail = report.results.find((r) => r.ruleId === v.rule);
    const blocked = report.results.filter((r) => r.status === 'blocked').map((r) => r.ruleId);
    rows.push(
      `| ${v.rule} | ${v.device} | ${v.violation} | ${failed.join(', ') || 'none'} | ${blocked.join(', ') || '—'} | ${(fail?.detail ?? '').replace(/\|/g, '\\|')} |`,
    );
    await bench.sim.stop();
  });
}

t.test('every rule the kit checks has a broken device, for each device kind it applies to a device of', async (t) => {
  const checked = ICD_RULES.filter((r) => r.checkedByConformance && r.appliesTo !== 'host').map((r) => r.id);
  const covered = new Set(VIOLATIONS.map((v) => v.rule));
  t.same(
    checked.filter((id) => !covered.has(id)),
    [],
    'no checked rule without a broken device',
  );
});

t.test('the table of violations in docs/ is the one this test generates', async (t) => {
  const table = `# Conformance kit: one violation per rule

Generated by \`test/conformance/violations.test.ts\` (\`UPDATE_VIOLATION_TABLE=1 npx tap
test/conformance/violations.test.ts\` rewrites it). Each row is a simulated device broken in
one way, run through the whole kit with the CI settings (\`--timeout-scale 3 --timing-slack-ms 1000
--strict --allow-fire\`, virtual time: the kit's measured scheduling error is 0); the test requires that it fails exactly its rule.
*Blocked* lists the rules the kit could not judge because their check depends on the broken
rule (reported BLOCKED, not failed).

| rule | device | violation | rules failed | blocked | what the kit reported |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
  const path = new URL('../../docs/conformance-violations.md', import.meta.url);
  if (process.env.UPDATE_VIOLATION_TABLE === '1') writeFileSync(path, table);
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    // missing: fails below
  }
  t.equal(committed, table, 'docs/conformance-violations.md is up to date');
});
