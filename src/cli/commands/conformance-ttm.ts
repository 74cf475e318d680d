import { parseArgs } from 'node:util';
import {
  NMEA_MAX_LINE_CHARS,
  type TimedLine,
  type TtmRuleResult,
  checkTtmRate,
  checkTtmSource,
  nmeaLinkProblem,
} from '../../nmea/index.js';
import type { Clock } from '../../time/clock.js';
import { type Transport, TransportError } from '../../transport/index.js';
import { type CommandIo, EXIT_OK, EXIT_RUNTIME, EXIT_VERDICT_FAIL, UsageError } from '../command.js';
import { writeRuleResult } from './conformance-output.js';

/** Lines kept for judging (a 38400-baud line sends at most ~50 sentences/s: 10 minutes of it). */
const MAX_LINES = 30_000;

export const TTM_HELP = `Usage: shieldlink conformance --device ttm --link URL [--listen-s S] [--max-interval-s S] [--json]

Judge an NMEA 0183 TTM source (an ARPA radar on a serial line: --link serial:PATH?baud=4800
or ?baud=38400, the rate must be given) by
listening to it for --listen-s seconds (default 10): sentence syntax and checksum
(NMEA-TTM-001), length (002), CR LF (003), TTM fields (004), at least one target (005), field
ranges (006), and the rate: every tracked target reported at least every --max-interval-s
seconds (default 3: an antenna revolution) until reported lost (007). Nothing is sent.
Exit codes: 0 every rule passed, 1 a rule failed, 2 usage error, 3 the link cannot be opened.`;

function parse(args: string[]): { link: string; listenS: number; maxIntervalS: number; json: boolean } {
  let values;
  try {
    values = parseArgs({
      args,
      allowPositionals: false,
      options: {
        device: { type: 'string' },
        link: { type: 'string' },
        'listen-s': { type: 'string' },
        'max-interval-s': { type: 'string' },
        json: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`--device ttm: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (values.link === undefined) throw new UsageError('missing --link URL (e.g. serial:/dev/ttyUSB0?baud=38400)');
  const linkProblem = nmeaLinkProblem(values.link);
  if (linkProblem !== undefined) throw new UsageError(linkProblem);
  const seconds = (name: string, text: string | undefined, fallback: number, max: number): number => {
    const value = text === undefined ? fallback : Number(text);
    if (!(value > 0) || value > max) throw new UsageError(`--${name} ${text}: expected seconds in (0, ${max}]`);
    return value;
  };
  return {
    link: values.link,
    listenS: seconds('listen-s', values['listen-s'], 10, 600),
    maxIntervalS: seconds('max-interval-s', values['max-interval-s'], 3, 60),
    json: values.json === true,
  };
}

/** `shieldlink conformance --device ttm`: listen, then judge. */
export async function runTtmConformance(
  args: string[],
  io: CommandIo,
  clock: Clock,
  openTransport: (url: string) => Transport,
): Promise<number> {
  const options = parse(args);
  let transport: Transport;
  try {
    transport = openTransport(options.link);
  } catch (error) {
    if (error instanceof TransportError) throw new UsageError(error.message);
    throw error;
  }
  const chunks: Uint8Array[] = [];
  const lines: TimedLine[] = [];
  let partial = '';
  let bytes = 0;
  const onData = (chunk: Uint8Array): void => {
    if (lines.length >= MAX_LINES) return;
    chunks.push(chunk);
    bytes += chunk.length;
    const atS = clock.nowUs() / 1e6;
    const text = partial + Buffer.from(chunk).toString('latin1');
    const parts = text.split('\n');
    partial = parts.pop()!.slice(-NMEA_MAX_LINE_CHARS);
    for (const part of parts) if (part.trim() !== '') lines.push({ text: part.replace(/\r$/, ''), atS });
  };
  transport.on('data', onData);
  try {
    await transport.open();
  } catch (error) {
    io.stderr.write(
      `shieldlink conformance: ${options.link}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT_RUNTIME;
  }
  const fromS = clock.nowUs() / 1e6;
  await new Promise<void>((resolve) => clock.setTimer(options.listenS * 1e6, resolve));
  const toS = clock.nowUs() / 1e6;
  transport.off('data', onData);
  await transport.close().catch(() => undefined);
  const results: TtmRuleResult[] = [
    ...checkTtmSource(Buffer.concat(chunks)),
    checkTtmRate(lines, { fromS, toS }, options.maxIntervalS),
  ].sort((a, b) => a.id.localeCompare(b.id));
  for (const result of results) {
    writeRuleResult(io, options.json, {
      ruleId: result.id,
      status: result.passed ? 'pass' : 'fail',
      title: result.statement,
      detail: result.evidence,
      durationUs: (toS - fromS) * 1e6,
    });
  }
  const failed = results.filter((r) => !r.passed).length;
  const summary = {
    device: 'ttm',
    passed: results.length - failed,
    failed,
    lines: lines.length,
    bytes,
    listenS: toS - fromS,
  };
  io.stdout.write(
    options.json
      ? JSON.stringify({ summary }) + '\n'
      : `conformance ttm: ${summary.passed} passed, ${failed} failed (${lines.length} lines in ${summary.listenS.toFixed(1)} s)\n`,
  );
  return failed > 0 ? EXIT_VERDICT_FAIL : EXIT_OK;
}
