import type { CampaignStatistics } from './campaign-statistics.js';

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * JUnit XML of a campaign: one suite per sweep point; in each, one case per safety counter
 * (summed over the point's runs, must be 0, the failure names the seeds), one for run errors,
 * and one for completeness. Scenario measurements are reported per run as properties of the
 * suite, not as failures: a campaign measures a distribution.
 */
export function campaignJunit(stats: CampaignStatistics, wallS: number): string {
  const suites = stats.points.map((point) => {
    const seedsFor = (counter: string): string =>
      stats.safetyFailures
        .filter((f) => f.point === point.point && (f.counters[counter] ?? 0) > 0)
        .map((f) => `${f.seed} (${f.key})`)
        .join(', ');
    const errors = stats.errors.filter((e) => e.point === point.point);
    const cases: { name: string; failure: string | null }[] = [
      ...Object.entries(point.safety).map(([counter, sum]) => ({
        name: `safety.${counter} == 0`,
        failure: sum === 0 ? null : `safety.${counter} = ${sum} over the runs; re-run seeds ${seedsFor(counter)}`,
      })),
      {
        name: 'every run completed without error',
        failure:
          errors.length === 0
            ? null
            : `${errors.length} run(s) failed to run: ${errors
                .slice(0, 10)
                .map((e) => `seed ${e.seed} (${e.key}): ${e.error}`)
                .join('; ')}`,
      },
      {
        name: `all ${point.runsPlanned} runs done`,
        failure: point.runsDone === point.runsPlanned ? null : `${point.runsDone} of ${point.runsPlanned} runs done`,
      },
    ];
    const failures = cases.filter((c) => c.failure !== null).length;
    const name = escapeXml(`shieldlink campaign ${stats.scenario} ${point.label}`);
    const ir = point.interceptRatio;
    const props = [
      ['interceptRatio', ir.estimate],
      ['interceptRatio.low95', ir.low],
      ['interceptRatio.high95', ir.high],
      ['leakerRate', point.leakerRate.estimate],
      ['roundsPerKill', point.roundsPerKill],
    ]
      .map(([k, v]) => `      <property name="${k}" value="${v === null ? '' : String(v)}"/>`)
      .join('\n');
    return [
      `  <testsuite name="${name}" tests="${cases.length}" failures="${failures}">`,
      `    <properties>\n${props}\n    </properties>`,
      ...cases.map((c) =>
        c.failure === null
          ? `    <testcase classname="${name}" name="${escapeXml(c.name)}"/>`
          : `    <testcase classname="${name}" name="${escapeXml(c.name)}"><failure message="${escapeXml(c.failure)}"/></testcase>`,
      ),
      '  </testsuite>',
    ].join('\n');
  });
  const all = suites.join('');
  const tests = all.split('<testcase').length - 1;
  const failures = all.split('<failure').length - 1;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shieldlink campaign ${escapeXml(stats.id)}" tests="${tests}" failures="${failures}" time="${wallS.toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
