import type { MeasurementResult } from './evaluate-measurements.js';
import type { RunSummary } from './run-summary.js';

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * JUnit XML for CI systems: one test suite per run, one test case per measurement and one per
 * safety counter (each must be 0), so a scenario can be used as a test.
 */
export function junitReport(summary: RunSummary, measurements: readonly MeasurementResult[]): string {
  const cases: { name: string; failure: string | null }[] = [
    ...Object.entries(summary.safety).map(([counter, value]) => ({
      name: `safety.${counter} == 0`,
      failure: value === 0 ? null : `safety.${counter} = ${value} (counted from the simulator's truth)`,
    })),
    ...measurements.map((m) => ({ name: m.name, failure: m.pass ? null : m.message })),
  ];
  const failures = cases.filter((c) => c.failure !== null).length;
  const suite = escapeXml(`shieldlink ${summary.scenario}`);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shieldlink" tests="${cases.length}" failures="${failures}" time="${summary.wallS.toFixed(3)}">`,
    `  <testsuite name="${suite}" tests="${cases.length}" failures="${failures}" time="${summary.wallS.toFixed(3)}">`,
    ...cases.map((c) =>
      c.failure === null
        ? `    <testcase classname="${suite}" name="${escapeXml(c.name)}"/>`
        : `    <testcase classname="${suite}" name="${escapeXml(c.name)}"><failure message="${escapeXml(c.failure)}"/></testcase>`,
    ),
    '  </testsuite>',
    '</testsuites>',
  ];
  return lines.join('\n') + '\n';
}
