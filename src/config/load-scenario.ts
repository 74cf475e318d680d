import type { ConfigIssue } from './config-error.js';
import { SCENARIO_UNIT_SITES } from './config-unit-fields.js';
import { deprecatedNameIssues, deprecatedNameWarnings } from './deprecated-unit-names.js';
import { type ParsedConfig, asConfigIssues, parseConfigFileWarning, parseConfigText } from './parse-config-file.js';
import { scenarioReferenceIssues } from './scenario-references.js';
import { type Scenario, scenarioSchema } from './scenario-schema.js';

const references = asConfigIssues(scenarioReferenceIssues);
const deprecated = deprecatedNameIssues(SCENARIO_UNIT_SITES);
const crossCheck = (data: unknown): ConfigIssue[] => [...deprecated(data), ...references(data)];

/**
 * Load and validate a scenario file (YAML or JSON). Throws ConfigError listing every problem,
 * each with its path, e.g. `launchers[1].speedMps: expected a positive number`.
 */
export async function loadScenario(file: string): Promise<Scenario> {
  return (await loadScenarioWarning(file)).value;
}

/** As loadScenario, also returning the deprecated names the file uses (each with its replacement). */
export function loadScenarioWarning(file: string): Promise<ParsedConfig<Scenario>> {
  return parseConfigFileWarning(file, scenarioSchema, crossCheck, deprecatedNameWarnings(SCENARIO_UNIT_SITES));
}

/** As loadScenario, from text already read (`source` names it in errors). */
export function parseScenario(source: string, text: string): Scenario {
  return parseConfigText(source, text, scenarioSchema, crossCheck);
}
