import { DEFAULT_CONFIG } from '../bench-config-file.js';

/** `shieldlink run --help`: every option, its default and what the exit codes mean. */
export const RUN_HELP = `Usage: shieldlink run [--config FILE] [--scenario FILE] [--virtual-time | --real-time]
                      [--duration S] [--record FILE] [--truth FILE] [--junit FILE]
                      [--capture FILE|none] [--mqtt-log FILE|none]
                      [--display-port P] [--tracker imm|cv] [--json] [--quiet] [--force]
                      [--doctrine NAME] [--compare-doctrine NAME] [--brokers start|scenario]

Run a bench: the drivers, the control loop and the operator command path, against the firmware
simulator (simulated benches) — with no arguments, the default simulated bench
(${DEFAULT_CONFIG}: in-process simulator, raid scenario) in virtual time, which ends on its own.

Options:
  --config FILE     bench config (default ${DEFAULT_CONFIG}, from the package directory)
  --scenario FILE   scenario (default: the config's)
  --virtual-time    host and simulator in lockstep on one virtual clock, as fast as the CPU
                    allows; byte-identical recordings for the same config, scenario and seed
                    (the default for an in-process simulator)
  --real-time       real monotonic time; the control loop runs in its real-time worker thread
  --duration S      stop after S simulated seconds (default: the scenario's duration)
  --record FILE     run file (default <output dir>/<scenario>-seed<seed>.run)
  --truth FILE      simulator truth log, JSONL (default next to the run file)
  --capture FILE    pcapng capture of every frame on every link, both ways, bad frames kept
                    and marked; open it in Wireshark with the shieldlink dissector
                    (default <name>.pcapng next to the run file; 'none' for no capture)
  --mqtt-log FILE   every MQTT message the bridge published, JSONL, for 'export' and
                    'replay --publish' (default <name>.mqtt.jsonl next to the run file; 'none')
  --junit FILE      JUnit XML: one test case per safety counter and per scenario measurement
  --report FILE     after-action report, one self-contained HTML page with plots
                    (default <name>.report.html next to the run file)
  --broker URL      MQTT broker for the bridge (mqtt://, mqtts://, ws://), overriding the
                    config; 'none' runs without the bridge. Default: the config's (the default
                    config starts an embedded broker on 127.0.0.1:1883, WebSocket 9001, or on
                    free ports when those are taken). The embedded broker refuses anonymous
                    clients: its logins are generated at the first start into
                    <output dir>/keys/<node>.mqtt.json (0600) and printed how to use, beside
                    the node's signing key <node>.node.key.json (its public half .node.pub.json)
  --display-port P  serve the live tactical display on http://127.0.0.1:P/ (0: a free port;
                    the address is printed at start; its decision ledger card verifies the
                    run's ledger as it is written); use with --real-time to watch
  --doctrine NAME   weapon-assignment doctrine, over the config's and the scenario's:
                    expected-value (threat value first: greedy maximum marginal return with
                    local search) or earliest-impact (the baseline order); or the firing
                    doctrine: shoot-look-shoot (one round at a time) or salvo (a second round
                    while the first flies when no second look fits before impact)
  --compare-doctrine NAME
                    after the run, run the same scenario again with doctrine NAME (outputs
                    <name>.<NAME>.run and .truth.jsonl, no bridge, capture or report) and print
                    both side by side: asset leakers, value saved, rounds per kill, rounds on
                    threats to no asset. NAME may be a firing doctrine (salvo,
                    shoot-look-shoot): then only the firing differs between the two runs.
                    The verdict (exit code) is the first run's.
  --tracker imm|cv  track filter, overriding the config's control.tracker (default cv:
                    constant velocity + ballistic classifier; imm: interacting multiple models).
                    'shieldlink compare-trackers' runs both side by side
  --json            print the summary as one JSON object on the last stdout line
  --quiet           no progress line, no table
  --force           overwrite output files named on the command line that already exist
                    (without it such a run is refused; default-named outputs in the output
                    directory are replaced, with a notice)

Next to the run file go <name>.truth.jsonl, <name>.summary.json (summary, loop metrics,
link counters, measurements, the picture's GOSPA and SIAP per second), <name>.pcapng and <name>.mqtt.jsonl; a hardware bench (real devices) has no simulator truth, and its
summary says so. Before anything starts, every output is checked: none may be an input or
another output, and each directory must be writable. SIGINT and SIGTERM stop the run cleanly
(launchers SAFE, recording closed). A full disk ends the run, exit 3. Scenarios may declare measurements with limits; any outside its
limit fails the run.

On a terminal a live progress line shows simulated time, tracks, engagements, intercepts and
weapons control status; the end prints a summary table and the recording's path.

Examples:
  shieldlink run
  shieldlink run --scenario hil-configs/scenarios/raid-50.yaml --virtual-time --json
  shieldlink run --config hil-configs/sim.yaml --real-time --duration 30
  shieldlink run --scenario hil-configs/scenarios/saturation.yaml --compare-doctrine earliest-impact
  shieldlink run --scenario hil-configs/scenarios/salvo-timeline.yaml --compare-doctrine salvo

A scenario with nodes: (a joint scenario, e.g. hil-configs/scenarios/joint-raid.yaml) runs every
node in one process in virtual time: per node <name>.<node>.run, .truth.jsonl and .ledger in the
config's output directory, <name>.joint.json, <name>.joint.report.html (each node's plan view side
by side: own, partner and fused tracks over its coverage) and a table of each node's picture alone
and joint. With --real-time each node runs as its own 'shieldlink run --real-time' process,
started and supervised by this one: configs under <output dir>/<name>.real-time/, one Mosquitto
per node on a loopback port, bridged (shared/ topics only), each node's lines as [node] ...,
SIGINT/SIGTERM to every node, per-node and joint figures at the end, exit code the worst node's.
  --brokers start|scenario
                    real time: start one Mosquitto per node (default; needs mosquitto and
                    mosquitto_passwd) or use the scenario's nodes[].broker (running, bridged;
                    each node's password in its passwordEnv)
  --joint-mode M    linked (default: shared picture and engagement coordination), picture-only
                    (shared picture, each node decides alone) or unlinked (no inter-node message)
  --compare-joint   run the scenario in all three modes and print them side by side (intercept
                    ratio, asset leakers, rounds per kill, duplicate engagements, first detection
                    by any node to launch); the table also goes in <name>.joint.json

Exit codes: 0 run completed, every safety counter 0 and every measurement within its limits;
1 a safety counter is not 0 or a measurement failed;
2 usage or config error (nothing started); 3 runtime error.`;
