import { readFile, stat, writeFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { BridgeError, NodePublicKey } from '../../bridge/index.js';
import {
  DEFAULT_LEDGER_POLICY,
  LedgerFileError,
  type LedgerPolicy,
  ledgerHtml,
  ledgerPolicySchema,
  verdictLine,
  verifyLedger,
} from '../../ledger/index.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, EXIT_VERDICT_FAIL, UsageError } from '../command.js';
import { onePositional, parseCommandArgs } from '../command-args.js';
import { loadOwnRadar, OwnRadarError } from './own-radar-source.js';
import { readLedgerFile } from '../../record/read-ledger-file.js';
import { verifyLive } from './verify-live.js';

/** Largest ledger file `verify` reads. */
const MAX_LEDGER_BYTES = 1 << 30;

const HELP = `Usage: shieldlink verify LEDGER --node-key PUB.json [--policy FILE] [--json] [--html FILE]
         [--own-radar RUNFILE --own-site LAT,LON,HEIGHT --own-range-km KM [--own-epoch-us US]]
       shieldlink verify --live --broker URL --node ID --node-key PUB.json [--policy FILE] [--json]
         [--username U --password-env VAR] [--idle-s S]

Check a node's decision ledger (<name>.ledger beside its run file) the way a partner would,
trusting nothing but the node's public key (keys/<node>.node.pub.json):

  integrity   every tree head signed by the key (Ed25519); every root recomputed from the
              entries (RFC 9162 Merkle tree); every head consistent with the one before (RFC 9162
              consistency proof); heads numbered without a gap; a final head at the end. Any entry
              changed, removed, reordered, inserted or withheld, a fork or a re-signing by another
              key fails.
  compliance  against the partner's policy (--policy; default: FIRE only at hostiles): every FIRE
              against a track of an allowed IFF, inbound, whose impact — recomputed from the track
              state the node recorded at its decision — lies in a defended asset the node declared;
              never against a track whose path started in a protected zone and led away; no
              declared launcher envelope reaching a protected zone.

  own radar   (--own-radar) with the partner's own eyes: each FIRE's claimed track state (the
              position, velocity and identity of the decision behind it) is mapped from the
              node's declared site and clock into the partner's frame and clock and compared with
              the track reports of the partner's own radar in its own run file (RUNFILE, made at
              --own-site, its radar covering --own-range-km of slant range; its clock epoch from
              RUNFILE's .mqtt.jsonl header, or --own-epoch-us). Per FIRE: confirmed; elsewhere
              (the radar reported, but nothing within the gate); not-seen (it covered the claim
              and reported nothing); identity-disagrees (hostile against friendly); or it cannot
              judge: out-of-coverage (beyond its range or below its horizon), not-recorded. The
              first three fail the verdict; so does a ledger that declares no site or epoch.

  live        (--live) follows the node's feed on shieldlink/v1/<ID>/shared/ledger and checks each
              line as it arrives, in bounded memory: every head's signature, its root recomputed
              from the entries, the consistency proof from the previous head, each FIRE against
              the policy. Prints each violation at once (--json: one JSON object per line), and a
              verdict line at the final head, after --idle-s without a line, or on Ctrl-C. Joined
              after the feed began, it says so and checks heads, signatures and consistency.

Prints one verdict line (or with --json the whole verdict), and with --html FILE writes a page
listing every problem, every violation and each FIRE's justification.

Policy file (YAML or JSON; every member optional; positions in the node's ENU frame, metres):
  partner: partner-b
  engageableIff: [hostile]            # hostile, unknown, friendly, pending
  requireInbound: true
  requireImpactInDefendedAsset: true
  protectedZones:
    - { id: partner-b-base, position: { eastM: -60000, northM: 40000 }, radiusM: 15000 }
  ownRadar:                           # the gate of --own-radar (defaults shown)
    gateChi2: 16.27                   # position and velocity, 3 dof each (0.1 % false alarms)
    claimSigmaM: 50                   # 1-sigma per axis assumed for the node's claims
    claimSigmaMps: 15
    windowS: 1.5                      # partner reports within this of each claim

Exit codes: 0 intact and compliant, 1 any integrity problem or policy violation, 2 bad option,
key file or policy file, 3 the ledger or the own radar's run file cannot be read (missing, not a
ledger, the ledger of another node or key, no radar report).`;

export const verifyCommand: Command = {
  path: ['verify'],
  summary: "check a node's decision ledger (file or live): signatures, Merkle proofs, a partner's policy and radar",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      'node-key': { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      'own-radar': { type: 'string' },
      'own-site': { type: 'string' },
      'own-range-km': { type: 'string' },
      'own-epoch-us': { type: 'string' },
      live: { type: 'boolean' },
      broker: { type: 'string' },
      node: { type: 'string' },
      username: { type: 'string' },
      'password-env': { type: 'string' },
      'idle-s': { type: 'string' },
    });
    const live = values.live === true;
    if (live) {
      if (positionals.length > 0) throw new UsageError('--live follows the broker: give no LEDGER file');
      if (values.broker === undefined || values.node === undefined)
        throw new UsageError('--live needs --broker URL and --node ID');
      for (const o of ['own-radar', 'html'] as const)
        if (values[o] !== undefined) throw new UsageError(`--${o} is for a ledger file, not --live`);
    } else {
      for (const o of ['broker', 'node', 'username', 'password-env', 'idle-s'] as const)
        if (values[o] !== undefined) throw new UsageError(`--${o} goes with --live`);
    }
    const idleS = values['idle-s'] === undefined ? null : Number(values['idle-s']);
    if (idleS !== null && !(Number.isFinite(idleS) && idleS > 0))
      throw new UsageError('--idle-s: expected seconds > 0');
    const ledgerFile = live ? '' : onePositional(positionals, 'LEDGER file');
    if (values['node-key'] === undefined) throw new UsageError('--node-key PUB.json is required');
    const ownRadarFile = values['own-radar'];
    if (ownRadarFile === undefined) {
      for (const o of ['own-site', 'own-range-km', 'own-epoch-us'] as const)
        if (values[o] !== undefined) throw new UsageError(`--${o} goes with --own-radar`);
    } else {
      if (values['own-site'] === undefined) throw new UsageError('--own-radar needs --own-site LAT,LON,HEIGHT');
      if (values['own-range-km'] === undefined) throw new UsageError('--own-radar needs --own-range-km KM');
    }
    let key: NodePublicKey;
    try {
      key = await NodePublicKey.load(values['node-key']);
    } catch (error) {
      io.stderr.write(`shieldlink verify: ${error instanceof BridgeError ? error.message : String(error)}\n`);
      return EXIT_USAGE;
    }
    let policy: LedgerPolicy = DEFAULT_LEDGER_POLICY;
    if (values.policy !== undefined) {
      try {
        policy = ledgerPolicySchema.parse(parseYaml(await readFile(values.policy, 'utf8')) ?? {});
      } catch (error) {
        io.stderr.write(`shieldlink verify: policy ${values.policy}: ${policyMessage(error)}\n`);
        return EXIT_USAGE;
      }
    }
    if (live) {
      const passwordEnv = values['password-env'];
      return verifyLive(
        {
          broker: values.broker!,
          nodeId: values.node!,
          key,
          policy,
          json: values.json === true,
          username: values.username,
          password: passwordEnv === undefined ? undefined : process.env[passwordEnv],
          idleS,
        },
        io,
      );
    }
    let ownEyes;
    if (ownRadarFile !== undefined) {
      try {
        ownEyes = await loadOwnRadar(
          {
            runFile: ownRadarFile,
            site: values['own-site']!,
            rangeKm: values['own-range-km']!,
            epochUs: values['own-epoch-us'],
          },
          policy,
        );
      } catch (error) {
        if (!(error instanceof OwnRadarError)) throw error;
        io.stderr.write(`shieldlink verify: own radar: ${error.message}\n`);
        return EXIT_RUNTIME;
      }
    }
    let bytes: Buffer;
    try {
      const size = (await stat(ledgerFile)).size;
      if (size > MAX_LEDGER_BYTES) {
        io.stderr.write(`shieldlink verify: ${ledgerFile} is ${size} bytes, over the ${MAX_LEDGER_BYTES} limit\n`);
        return EXIT_RUNTIME;
      }
      bytes = await readLedgerFile(ledgerFile); // verified as bytes: no decoding of the whole file
    } catch (error) {
      io.stderr.write(`shieldlink verify: cannot read ${ledgerFile} (${(error as NodeJS.ErrnoException).code})\n`);
      return EXIT_RUNTIME;
    }
    let verdict;
    try {
      verdict = verifyLedger(bytes, key, policy, ownEyes);
    } catch (error) {
      if (!(error instanceof LedgerFileError)) throw error;
      io.stderr.write(`shieldlink verify: ${ledgerFile}: ${error.message}\n`);
      return EXIT_RUNTIME;
    }
    if (values.html !== undefined) {
      try {
        await writeFile(values.html, ledgerHtml(verdict));
      } catch (error) {
        io.stderr.write(`shieldlink verify: cannot write ${values.html} (${(error as NodeJS.ErrnoException).code})\n`);
        return EXIT_RUNTIME;
      }
    }
    if (values.json === true) io.stdout.write(JSON.stringify(verdict, null, 2) + '\n');
    else {
      io.stdout.write(verdictLine(verdict) + '\n');
      for (const p of verdict.integrity.problems.slice(0, 20))
        io.stdout.write(`  line ${p.line}: ${p.rule}: ${p.message}\n`);
      for (const x of verdict.compliance.violations.slice(0, 20)) io.stdout.write(`  ${x.rule}: ${x.message}\n`);
      for (const f of verdict.ownEyes?.fires ?? []) io.stdout.write(`  own radar: ${f.verdict}: ${f.message}\n`);
    }
    return verdict.pass ? EXIT_OK : EXIT_VERDICT_FAIL;
  },
};

function policyMessage(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'issues' in error && Array.isArray(error.issues)) {
    return (error.issues as { path: PropertyKey[]; message: string }[])
      .map((i) => `${i.path.map(String).join('.') || '(top)'}: ${i.message}`)
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
