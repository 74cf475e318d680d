import { parseArgs } from 'node:util';
import { ConfigError } from '../../config/config-error.js';
import { readFile, stat } from 'node:fs/promises';
import { MAX_CONFIG_BYTES, configTextIssues } from '../../config/config-text-limits.js';
import { benchLinkIssues } from '../../compose/bench-link-issues.js';
import { parse as parseYaml } from 'yaml';
import { loadBenchConfig } from '../../config/load-bench-config.js';
import { loadScenarioWarning } from '../../config/load-scenario.js';
import { type ConfigWarning, uncoveredAssetWarnings } from '../../config/defended-asset-warnings.js';
import type { Scenario } from '../../config/scenario-schema.js';
import type { BenchConfig } from '../../config/bench-config-schema.js';
import { type Command, EXIT_OK, EXIT_USAGE, UsageError } from '../command.js';

const HELP = `Usage: shieldlink config check FILE... [--json]

Validate bench configs (hil-configs/*.yaml) and the scenarios they name, or scenario files
(hil-configs/scenarios/*.yaml) on their own: shapes, bounds of every timing and safety
parameter, cross-references, and the link checks \`run\` makes (each link URL usable, no two
devices on one link). Prints every problem with its path and reason, e.g.
  hil-configs/bench.yaml: devices.launchers[1].model.flyout.speedMps: expected a positive number
Warnings (printed, exit code still 0): a defended asset outside every launcher envelope; a
duration under its deprecated name (e.g. links.ackTimeoutMs: 30, now links.ackTimeoutS: 0.03:
every duration is in seconds), naming its replacement. Both names at once is an error.
Starts nothing.

Options:
  --json    one JSON object per file: {"file","ok","configHash"?,"issues":[{"path","message"}],"warnings":[...]}

Examples:
  shieldlink config check hil-configs/sim.yaml
  shieldlink config check hil-configs/*.yaml --json

Exit codes: 0 all valid, 2 a file is invalid or unreadable.`;

export const configCheckCommand: Command = {
  path: ['config', 'check'],
  summary: 'validate bench configs and scenarios, naming every failing field',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true });
    if (positionals.length === 0) throw new UsageError('expected at least one FILE (see --help)');
    let failed = false;
    for (const file of positionals) {
      try {
        if (await looksLikeScenario(file)) {
          const scenario = await loadScenarioWarning(file);
          const warnings = [...scenario.warnings, ...assetWarnings(undefined, scenario.value)];
          if (values.json)
            io.stdout.write(JSON.stringify({ file, ok: true, kind: 'scenario', issues: [], warnings }) + '\n');
          else {
            io.stdout.write(`${file}: ok (scenario)\n`);
            writeWarnings(io.stdout, file, warnings);
          }
          continue;
        }
        const loaded = await loadBenchConfig(file);
        // The link checks `run` makes before opening anything.
        const linkIssues = benchLinkIssues(loaded.config);
        if (linkIssues.length > 0) throw new ConfigError(file, linkIssues);
        // A bench config is only valid when the scenario it names is.
        const scenarioFile =
          loaded.config.scenario === undefined ? undefined : loaded.resolvePath(loaded.config.scenario);
        const scenario = scenarioFile === undefined ? undefined : await loadScenarioWarning(scenarioFile);
        const warnings = [
          ...(loaded.warnings ?? []),
          ...(scenario?.warnings ?? []).map((w) => ({ ...w, path: `${loaded.config.scenario}: ${w.path}` })),
          ...assetWarnings(loaded.config, scenario?.value),
        ];
        if (values.json)
          io.stdout.write(
            JSON.stringify({ file, ok: true, configHash: loaded.configHash, issues: [], warnings }) + '\n',
          );
        else {
          io.stdout.write(`${file}: ok (config hash ${loaded.configHash.slice(0, 12)})\n`);
          writeWarnings(io.stdout, file, warnings);
        }
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        failed = true;
        if (values.json) io.stdout.write(JSON.stringify({ file, ok: false, issues: error.issues }) + '\n');
        else
          for (const issue of error.issues)
            io.stdout.write(`${error.file}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}\n`);
      }
    }
    return failed ? EXIT_USAGE : EXIT_OK;
  },
};

/** A scenario has no `node` section; a bench config always has one. Unreadable → not a scenario. */
async function looksLikeScenario(file: string): Promise<boolean> {
  try {
    if ((await stat(file)).size > MAX_CONFIG_BYTES) return false;
    const text = await readFile(file, 'utf8');
    // Too big or too deep to parse safely: the loader reports it.
    if (configTextIssues(text).length > 0) return false;
    const data: unknown = parseYaml(text);
    return (
      typeof data === 'object' &&
      data !== null &&
      !('node' in data) &&
      ('targets' in data || 'radars' in data || 'launchers' in data)
    );
  } catch {
    return false;
  }
}

/** Assets of the config and its scenario that no launcher (config's or scenario's) can reach. */
function assetWarnings(config: BenchConfig | undefined, scenario: Scenario | undefined): ConfigWarning[] {
  const launchers = [
    ...(config?.devices.launchers ?? []).map((l) => ({
      id: l.id,
      position: l.model.position,
      envelope: l.model.envelope,
    })),
    ...(scenario?.launchers ?? []),
  ];
  return [
    ...uncoveredAssetWarnings(config?.defendedAssets ?? [], launchers, 'defendedAssets'),
    ...uncoveredAssetWarnings(scenario?.defendedAssets ?? [], launchers, 'scenario defendedAssets'),
  ];
}

function writeWarnings(out: { write(text: string): unknown }, file: string, warnings: readonly ConfigWarning[]): void {
  for (const w of warnings) out.write(`${file}: warning: ${w.path}: ${w.message}\n`);
}
