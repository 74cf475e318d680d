import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../config/load-scenario.js';
import type { RunManifest } from '../record/run-file-format.js';
import type { RadarSite } from './report-input.js';
import { ReportInputError } from './report-input-error.js';

/**
 * Radar positions for the plan view. The run file's core config names radars but does not place
 * them; the scenario does. Reads `scenarioFile` when given; otherwise looks for the manifest's
 * scenario by name next to the run file, in `hil-configs/scenarios/` (of the working directory,
 * then of the package) and in the working directory, and uses a file only when its SHA-256
 * matches the manifest's (it is the scenario that ran). Returns [] when none is found or it does
 * not parse: the plan view then shows no radars, which is not worth failing a report for. A
 * `scenarioFile` given explicitly must be readable and valid (ReportInputError otherwise).
 */
export async function scenarioRadarSites(
  manifest: RunManifest,
  runFile: string,
  scenarioFile?: string,
): Promise<RadarSite[]> {
  const candidates: { file: string; mustMatch: boolean }[] = [];
  if (scenarioFile !== undefined) candidates.push({ file: scenarioFile, mustMatch: false });
  else if (manifest.scenario !== null) {
    const name = basename(manifest.scenario.name);
    for (const dir of [
      dirname(runFile),
      join('hil-configs', 'scenarios'),
      join(packageRoot(), 'hil-configs', 'scenarios'),
      '.',
    ])
      candidates.push({ file: join(dir, name), mustMatch: true });
  }
  for (const { file, mustMatch } of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (!mustMatch)
        throw new ReportInputError(
          `cannot read scenario ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        );
      continue;
    }
    if (mustMatch && createHash('sha256').update(text).digest('hex') !== manifest.scenario?.sha256) continue;
    try {
      return parseScenario(file, text).radars.map((r) => ({
        id: r.id,
        eastM: r.position.eastM,
        northM: r.position.northM,
        upM: r.position.upM,
        maxRangeM: r.maxRangeM,
      }));
    } catch (error) {
      if (!mustMatch) throw new ReportInputError(`scenario ${file} is not valid: ${(error as Error).message}`);
      return [];
    }
  }
  return [];
}

/** The package root (where hil-configs/ lives), from src/report or dist/src/report. */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
}
