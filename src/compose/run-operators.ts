import { OperatorKeyring } from '../bridge/index.js';
import type { BenchConfig } from '../config/bench-config-schema.js';
import type { Scenario } from '../config/scenario-schema.js';
import {
  OperatorCommandPath,
  type OperatorCommandPathOptions,
  simulatedOperatorKey,
} from '../session/operator-command-path.js';
import type { SessionCommandExecutor } from '../session/session-command-executor.js';
import type { Clock } from '../time/clock.js';
import { ScriptedOperators } from './scripted-operators.js';

/** What {@link openRunOperators} needs. */
export interface RunOperatorsOptions {
  readonly config: BenchConfig;
  readonly scenario: Scenario;
  readonly clock: Clock;
  readonly wallClock: () => number;
  /** Resolves a path of the config (the operator keys directory). */
  readonly resolvePath: (path: string) => string;
  readonly audit: OperatorCommandPathOptions['audit'];
  readonly bootId: string;
  readonly launcherIds: readonly string[];
  readonly log: (line: string) => void;
}

/** A run's operators: the keys the network may use, and the scripted operators' command path. */
export interface RunOperators {
  /** The configured operator keys alone (what the bridge accepts from the network). */
  readonly configured: OperatorKeyring;
  /** Plays the scenario's operator commands through the authorized path. */
  readonly scripted: ScriptedOperators;
  /** Set once the session exists: the path executes accepted commands on it. */
  setExecutor(executor: SessionCommandExecutor): void;
}

/**
 * The authorized command path of a bench run: the scenario's simulated operators' keys (derived
 * from the scenario seed, signing scripted commands only, never accepted from the network) plus
 * any configured key files. A key directory that does not load is logged and the run goes on with
 * the scripted operators only; a command that arrives before {@link RunOperators.setExecutor}
 * is a programming error (the scripted commands are scheduled after the session starts).
 */
export async function openRunOperators(options: RunOperatorsOptions): Promise<RunOperators> {
  const { config, scenario, log } = options;
  const operatorIds = [...new Set(scenario.operatorCommands.flatMap((c) => c.operators))].sort();
  const configured =
    config.auth.keysDir === undefined
      ? new OperatorKeyring()
      : await OperatorKeyring.load({
          directory: options.resolvePath(config.auth.keysDir),
          allowLegacyHmac: config.auth.legacyHmac === true,
        }).catch((error: Error) => {
          log(`operator keys not loaded (${error.message}); scripted operators only`);
          return new OperatorKeyring();
        });
  const signers = operatorIds.map((op) => simulatedOperatorKey(scenario.seed, op));
  const keyring = new OperatorKeyring([
    ...configured.keyIds().map((id) => configured.get(id)!),
    ...signers.map((key) => key.public),
  ]);
  let executor: SessionCommandExecutor | undefined;
  const path = new OperatorCommandPath({
    nodeId: config.node.id,
    clock: options.clock,
    wallClock: options.wallClock,
    keyring,
    signers,
    executor: {
      execute: (command, progress) => executor!.execute(command, progress),
    },
    audit: options.audit,
    bootId: options.bootId,
    onResult: (result) => {
      log(
        `command ${result.id} ${result.verb ?? ''}: ${result.status}${'reason' in result && result.reason ? ` (${String(result.reason)})` : ''}`,
      );
    },
  });
  return {
    configured,
    scripted: new ScriptedOperators(options.clock, path, options.launcherIds, log),
    setExecutor: (e) => {
      executor = e;
    },
  };
}
