import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ReportAssetError } from './report-asset-error.js';

let cached: string | undefined;

/**
 * The Chart.js UMD bundle's source, to inline in the page (no network at view time). The
 * package's `exports` do not list `dist/chart.umd.js`, so it is found next to the resolved main
 * entry (`dist/chart.cjs`). Any `</script` in it is broken up so it cannot close the element.
 */
export function chartJsBundle(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = join(dirname(require.resolve('chart.js')), 'chart.umd.js');
    cached = readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script');
  } catch (error) {
    throw new ReportAssetError(`cannot load the Chart.js bundle (is chart.js installed?): ${String(error)}`);
  }
  return cached;
}
