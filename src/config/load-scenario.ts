import { asConfigIssues, parseConfigFile, parseConfigText } from './parse-config-file.js';
import { scenarioReferenceIssues } from './scenario-references.js';
import { type Scenario, scenarioSchema } from './scenario-schema.js';

/**
 * Load and validate a scenario file (YAML or JSON). Throws ConfigError listing every problem,
 * each with its path, e.g. `launchers[1].speedMps: expected a positive number`.
 */
export function loadScenario(file: string): Promise<Scenario> {
  return parseConfigFile(file, scenarioSchema, asConfigIssues(scenarioReferenceIssues));
}

/** As loadScenario, from text already read (`source` names it in errors). */
export function parseScenario(source: string, text: string): Scenario {
  return parseConfigText(source, text, scenarioSchema, asConfigIssues(scenarioReferenceIssues));
}
