import t from 'tap';
import { figureLine } from '../../bench/figure-line.js';
import { alignColumns, columnWidths, ruledTable } from '../../bench/text-table.js';

/** Pins what a bench part run on its own prints (people and scripts read these tables). */

t.test('columns are padded to their widest cell, two spaces apart, trailing spaces trimmed', async (t) => {
  const rows = [
    ['a', '10', 'us', ''],
    ['longer.name', '7', 'frames/s', 'goal'],
  ];
  t.same(columnWidths(rows), [11, 2, 8, 4]);
  t.same(alignColumns(rows), ['a            10  us', 'longer.name  7   frames/s  goal']);
  t.same(alignColumns([]), []);
  t.same(ruledTable(['figure', 'value'], [['x', '1234567']]), ['figure  value', '------  -------', 'x       1234567']);
});

t.test('one figure per line, with the baseline only when asked for', async (t) => {
  const figure = { name: 'timeSync.bound.p50', value: 101.25, unit: 'us', baselineValue: 200 };
  t.equal(figureLine(figure, { nameWidth: 24, decimals: 1 }), 'timeSync.bound.p50            101.3 us');
  t.equal(
    figureLine(figure, { nameWidth: 24, decimals: 2, withBaseline: true }),
    'timeSync.bound.p50           101.25 us   baseline 200.00',
  );
  t.equal(
    figureLine({ name: 'n', value: 1, unit: 'x' }, { nameWidth: 2, decimals: 0, withBaseline: true }),
    'n           1 x',
  );
});
