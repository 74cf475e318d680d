import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/config-error.js';
import { TRACKERS, loadBenchConfig, withTracker } from '../../config/load-bench-config.js';
import { defaultConfigFile, writeConfigIssues } from '../bench-config-file.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_VERDICT_FAIL, UsageError } from '../command.js';
import { fifoRefusalReason } from '../../control/realtime/thread-priority.js';
import { runBench } from '../../compose/run-bench.js';
import type { RunProgress } from '../../compose/run-bench-types.js';
import { writeFile } from 'node:fs/promises';
import { evaluateMeasurements } from '../../session/evaluate-measurements.js';
import { junitReport } from '../../session/junit-report.js';
import { writeReportFiles } from '../../report/index.js';
import { formatSummaryTable } from '../summary-table.js';
import { browserBrokerUrl, startRunDisplay } from '../../display/run-display.js';
import { parseDisplayPort } from './display.js';
import { loadScenarioWarning } from '../../config/load-scenario.js';
import { checkRunOutputs } from '../run-outputs.js';
import { benchLinkIssues } from '../../compose/bench-link-issues.js';
import type { RunningBridge } from '../../compose/start-bridge.js';
import { formatDoctrineComparison } from '../doctrine-comparison.js';
import { dieWithParent } from './die-with-parent.js';
import { runJointCommand } from './run-joint.js';
import { RUN_HELP } from './run-help.js';

const DOCTRINES = ['expected-value', 'earliest-impact', 'shoot-look-shoot', 'salvo'] as const;
type DoctrineName = (typeof DOCTRINES)[number];
function parseDoctrine(value: string | undefined, option: string): DoctrineName | undefined {
  if (value === undefined) return undefined;
  if (!(DOCTRINES as readonly string[]).includes(value))
    throw new UsageError(`${option}: expected one of ${DOCTRINES.join(', ')}, got '${value}'`);
  return value as DoctrineName;
}
/** A doctrine name as a runBench override: an assignment doctrine or a firing doctrine. */
function doctrineOverride(name: DoctrineName | undefined) {
  if (name === undefined) return {};
  return name === 'salvo' || name === 'shoot-look-shoot' ? { firing: name } : { doctrine: name };
}

export const runCommand: Command = {
  path: ['run'],
  summary: 'run a bench (default: the simulated bench) and print the verdict',
  help: RUN_HELP,
  async run(args, io) {
    dieWithParent();
    const { values } = parseArgs({
      args,
      options: {
        config: { type: 'string' },
        scenario: { type: 'string' },
        'virtual-time': { type: 'boolean' },
        'real-time': { type: 'boolean' },
        duration: { type: 'string' },
        record: { type: 'string' },
        truth: { type: 'string' },
        capture: { type: 'string' },
        'mqtt-log': { type: 'string' },
        junit: { type: 'string' },
        broker: { type: 'string' },
        report: { type: 'string' },
        'display-port': { type: 'string' },
        tracker: { type: 'string' },
        json: { type: 'boolean' },
        quiet: { type: 'boolean' },
        force: { type: 'boolean' },
        doctrine: { type: 'string' },
        'compare-doctrine': { type: 'string' },
        'joint-mode': { type: 'string' },
        'compare-joint': { type: 'boolean' },
        brokers: { type: 'string' },
      },
      allowPositionals: false,
    });
    if (values['virtual-time'] && values['real-time'])
      throw new UsageError('--virtual-time and --real-time exclude each other');
    const doctrine = parseDoctrine(values.doctrine, '--doctrine');
    const compareDoctrine = parseDoctrine(values['compare-doctrine'], '--compare-doctrine');
    const durationS = values.duration === undefined ? undefined : Number(values.duration);
    if (durationS !== undefined && !(Number.isFinite(durationS) && durationS > 0)) {
      throw new UsageError(`--duration: expected a positive number of seconds, got '${values.duration}'`);
    }
    const configFile = values.config ?? defaultConfigFile();
    let loaded;
    try {
      loaded = await loadBenchConfig(configFile);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeConfigIssues(error, io.stderr);
      return EXIT_USAGE;
    }
    for (const w of loaded.warnings ?? []) io.stderr.write(`${configFile}: warning: ${w.path}: ${w.message}\n`);
    if (values.tracker !== undefined) {
      const tracker = TRACKERS.find((name) => name === values.tracker);
      if (tracker === undefined) throw new UsageError(`--tracker: expected imm or cv, got '${values.tracker}'`);
      loaded = withTracker(loaded, tracker);
    }
    const linkIssues = benchLinkIssues(loaded.config);
    if (linkIssues.length > 0) {
      for (const issue of linkIssues) io.stderr.write(`${configFile}: ${issue.path}: ${issue.message}\n`);
      return EXIT_USAGE;
    }
    // Virtual time needs every device on the one virtual clock: the in-process simulator only.
    const inProcess = loaded.config.simulator.enabled && loaded.config.simulator.placement === 'in-process';
    if (!inProcess && values['virtual-time']) {
      throw new UsageError(`${configFile}: PTY and hardware benches run in real time (drop --virtual-time)`);
    }
    const virtualTime = inProcess && !values['real-time'];
    // Asked for a SCHED_FIFO tick thread in real time: refuse before anything starts if the host will not grant it.
    const fifoPriority = loaded.config.control.tickFifoPriority;
    const fifoRefused = virtualTime || fifoPriority === undefined ? undefined : fifoRefusalReason(fifoPriority);
    if (fifoRefused !== undefined) {
      io.stderr.write(`${configFile}: control.tickFifoPriority: ${fifoRefused}\n`);
      return EXIT_RUNTIME;
    }
    const scenarioFile =
      values.scenario !== undefined
        ? resolve(values.scenario)
        : loaded.config.scenario === undefined
          ? undefined
          : loaded.resolvePath(loaded.config.scenario);
    if (scenarioFile === undefined)
      throw new UsageError('no scenario: give --scenario FILE or set scenario in the config');
    // An invalid or missing scenario is a config error: nothing starts (exit 2).
    let scenario;
    try {
      const parsed = await loadScenarioWarning(scenarioFile);
      scenario = parsed.value;
      for (const w of parsed.warnings) io.stderr.write(`${scenarioFile}: warning: ${w.path}: ${w.message}\n`);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      writeConfigIssues(error, io.stderr);
      return EXIT_USAGE;
    }
    // A scenario with nodes: runs every node in one process (virtual time), see run-joint.ts.
    if (scenario.nodes === undefined && (values['joint-mode'] !== undefined || values['compare-joint']))
      throw new UsageError('--joint-mode and --compare-joint need a scenario with nodes:');
    if (scenario.nodes !== undefined)
      return runJointCommand({ values, loaded, scenarioFile, scenario, virtualTime, io });
    const scenarioName = scenarioFile.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
    const outputDir = loaded.resolvePath(loaded.config.output.dir);
    const recordFile = values.record ?? join(outputDir, `${scenarioName}.run`);
    const base = recordFile.replace(/\.run$/, '');
    // A hardware bench has no simulator, so no truth log.
    const hardware = !loaded.config.simulator.enabled;
    if (hardware && values.truth !== undefined)
      throw new UsageError('--truth: a hardware bench has no simulator truth log');
    const truthFile = hardware ? undefined : (values.truth ?? base + '.truth.jsonl');
    const captureFile = values.capture ?? base + '.pcapng';
    const mqttLogFile = values['mqtt-log'] ?? base + '.mqtt.jsonl';
    const summaryFile = base + '.summary.json';
    const reportFileOut = values.report ?? base + '.report.html';
    const checked = await checkRunOutputs(
      [
        { role: '--record', file: recordFile, explicit: values.record !== undefined },
        ...(truthFile === undefined
          ? []
          : [{ role: '--truth', file: truthFile, explicit: values.truth !== undefined }]),
        ...(captureFile === 'none'
          ? []
          : [{ role: '--capture', file: captureFile, explicit: values.capture !== undefined }]),
        ...(mqttLogFile === 'none'
          ? []
          : [{ role: '--mqtt-log', file: mqttLogFile, explicit: values['mqtt-log'] !== undefined }]),
        { role: 'summary', file: summaryFile, explicit: values.record !== undefined },
        { role: '--report', file: reportFileOut, explicit: values.report !== undefined },
        ...(values.junit === undefined ? [] : [{ role: '--junit', file: values.junit, explicit: true }]),
      ],
      [
        { role: 'config', file: configFile },
        { role: 'scenario', file: scenarioFile },
      ],
      values.force === true,
    );
    for (const file of checked.replaced) io.stderr.write(`replacing ${file} (from an earlier run)\n`);
    const showProgress = io.isTty && !values.quiet && !values.json;
    const displayPort = values['display-port'];
    const display =
      displayPort === undefined
        ? undefined
        : await startRunDisplay({
            port: parseDisplayPort(displayPort, '--display-port'),
            nodeId: loaded.config.node.id,
            scenarioFile:
              scenarioFile ??
              (loaded.config.scenario === undefined ? undefined : loaded.resolvePath(loaded.config.scenario)),
          });
    if (display !== undefined) io.stderr.write(`display: ${display.url}\n`);
    display?.ledger.setSource('this run: each line as its ledger writes it');
    // SIGINT and SIGTERM end the run the same way: launchers SAFE, offline published, recording closed.
    const interrupt = new Promise<void>((resolveInterrupt) => {
      const onSignal = (): void => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolveInterrupt();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    const result = await runBench({
      loaded,
      scenarioFile,
      virtualTime,
      ...(durationS === undefined ? {} : { durationS }),
      recordFile,
      ...(truthFile === undefined ? {} : { truthFile }),
      ...(captureFile === 'none' ? {} : { captureFile }),
      ...(mqttLogFile === 'none' ? {} : { mqttLogFile }),
      interrupt,
      ...doctrineOverride(doctrine),
      ...(values.broker === undefined ? {} : { broker: values.broker }),
      ...(display === undefined ? {} : { onLedgerLine: (line: string) => display.ledger.line(line) }),
      onBridge: (b) => {
        if (display !== undefined) {
          display.ledger.setKey(b.nodeKey.public);
          display.setBroker(browserBrokerUrl(b));
          display.setAccess({
            username: b.credentials?.users.display.username ?? null,
            password: b.credentials?.users.display.password ?? null,
            nodePublicKey: b.nodeKey.public.publicKey,
          });
          b.allowOrigin(display.origin);
          b.allowOrigin(display.origin.replace('//127.0.0.1:', '//localhost:'));
        }
        if (!values.quiet && !values.json) io.stderr.write(howToConnect(b));
      },
      log: (line) => {
        if (!values.quiet && !values.json) io.stderr.write(`${showProgress ? '\r\x1b[K' : ''}${line}\n`);
      },
      onProgress: showProgress ? (p) => io.stdout.write(`\r\x1b[K${progressLine(p)}`) : undefined,
    }).finally(() => display?.close());
    if (showProgress) io.stdout.write('\r\x1b[K');
    const summary = result.summary;
    const measurements = evaluateMeasurements(summary, result.scenario.measurements);
    await writeFile(
      summaryFile,
      JSON.stringify(
        {
          summary,
          loopMetrics: result.loopMetrics ?? null,
          measurements,
          linkCounters: result.linkCounters,
          truthEpochHostUs: result.truthEpochHostUs,
          pictureQualitySeries: result.pictureQualitySeries,
        },
        null,
        2,
      ) + '\n',
    );
    const reportFile = await writeReportFiles({
      runFile: recordFile,
      ...(truthFile === undefined ? {} : { truthFile }),
      summaryFile,
      scenarioFile: result.scenarioFile,
      outFile: reportFileOut,
    });
    if (values.junit !== undefined) await writeFile(values.junit, junitReport(summary, measurements));
    const compared =
      compareDoctrine === undefined
        ? undefined
        : (
            await runBench({
              loaded,
              scenarioFile,
              virtualTime,
              ...(durationS === undefined ? {} : { durationS }),
              recordFile: `${base}.${compareDoctrine}.run`,
              ...(truthFile === undefined ? {} : { truthFile: `${base}.${compareDoctrine}.truth.jsonl` }),
              broker: 'none',
              ...doctrineOverride(compareDoctrine),
              interrupt,
            })
          ).summary;
    const comparison =
      compared === undefined
        ? undefined
        : formatDoctrineComparison([
            {
              doctrine:
                compareDoctrine === 'salvo' || compareDoctrine === 'shoot-look-shoot'
                  ? (result.controlConfig.doctrine.firing ?? 'shoot-look-shoot')
                  : result.controlConfig.doctrine.assignment,
              summary,
            },
            { doctrine: compareDoctrine!, summary: compared },
          ]);
    if (!values.quiet && !values.json) {
      io.stdout.write(formatSummaryTable(summary, result.loopMetrics) + '\n');
      for (const m of measurements) io.stdout.write(`measurement  ${m.message}\n`);
      if (comparison !== undefined) io.stdout.write(`\n${comparison}\n\n`);
      io.stdout.write(
        `recording: ${recordFile}\ntruth log: ${truthFile ?? 'none (a hardware bench has no simulator truth)'}\nsummary:   ${summaryFile}\nreport:    ${reportFile}\n`,
      );
      if (result.interrupted) io.stdout.write('interrupted: stopped early, launchers SAFE, recording closed\n');
    }
    if (values.json) {
      io.stdout.write(
        JSON.stringify({
          ...summary,
          measurements,
          recordFile,
          truthFile: truthFile ?? null,
          summaryFile,
          reportFile,
          ...(compared === undefined ? {} : { comparison: { doctrine: compareDoctrine, summary: compared } }),
        }) + '\n',
      );
    }
    const safe = Object.values(summary.safety).every((n) => n === 0);
    return safe && measurements.every((m) => m.pass) ? EXIT_OK : EXIT_VERDICT_FAIL;
  },
};

function progressLine(p: RunProgress): string {
  return `t=${p.simulatedS.toFixed(0).padStart(4)}/${p.durationS}s  tracks ${String(p.tracks).padStart(3)}  engagements ${String(
    p.engagements,
  ).padStart(
    3,
  )}  intercepts ${String(p.intercepts).padStart(3)}  weapons ${p.weaponsControlStatus.toUpperCase()}  launchers ready ${p.launchersReady}/${p.launchers}${p.notReady.length === 0 ? '' : ` (${p.notReady.join('; ')})`}`;
}

/** The lines that tell an operator (or a dashboard) how to reach this node's broker. */
function howToConnect(b: RunningBridge): string {
  const lines = [`mqtt: ${b.url}${b.wsUrl ? `  (browsers: ${b.wsUrl})` : ''}`];
  if (b.credentialsFile !== null) {
    lines.push(
      `  logins (0600): ${b.credentialsFile} — users node, operator, display, viewer, admin`,
      `  operator: shieldlink cmd <verb> ... --credentials ${b.credentialsFile} --key <your.key.json>`,
      `  display:  shieldlink display --credentials ${b.credentialsFile}` + (b.wsUrl ? ` --broker ${b.wsUrl}` : ''),
    );
  }
  lines.push(`  node public key: ${b.nodePublicKeyFile} (key id ${b.nodeKey.keyId})`);
  return lines.join('\n') + '\n';
}
