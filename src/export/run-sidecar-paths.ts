/** The files a run writes beside its run file `<name>.run`. */
export interface RunSidecarPaths {
  readonly truth: string;
  readonly summary: string;
  readonly mqttLog: string;
  readonly capture: string;
}

/** Where `shieldlink run` puts each file beside the run file (`runs/raid-50.run` → `runs/raid-50.*`). */
export function runSidecarPaths(runFile: string): RunSidecarPaths {
  const base = runFile.replace(/\.run$/, '');
  return {
    truth: `${base}.truth.jsonl`,
    summary: `${base}.summary.json`,
    mqttLog: `${base}.mqtt.jsonl`,
    capture: `${base}.pcapng`,
  };
}
