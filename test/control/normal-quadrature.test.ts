/**
 * The Gauss–Legendre table of the principal-axis quadrature: the nodes and weights the Newton
 * iteration on the Legendre recurrence gives, and a rule exact for polynomials up to degree 7.
 */
import t from 'tap';
import { GL4_NODES, GL4_WEIGHTS, INV_SQRT_2PI } from '../../src/control/normal-quadrature.js';
import { gaussLegendre } from './precise-asset-probability.js';

t.test('the 4-point table is Gauss–Legendre to the last bits', async (t) => {
  const { nodes, weights } = gaussLegendre(4);
  const order = nodes.map((x, i) => [x, weights[i]!] as const).sort((a, b) => a[0] - b[0]);
  for (let k = 0; k < 4; k++) {
    t.ok(Math.abs(GL4_NODES[k]! - order[k]![0]) < 1e-15, `node ${k}`);
    t.ok(Math.abs(GL4_WEIGHTS[k]! - order[k]![1]) < 1e-15, `weight ${k}`);
  }
});

t.test('exact for every monomial up to degree 7, not for degree 8', async (t) => {
  for (let d = 0; d <= 8; d++) {
    let sum = 0;
    for (let k = 0; k < 4; k++) sum += GL4_WEIGHTS[k]! * GL4_NODES[k]! ** d;
    const exact = d % 2 === 1 ? 0 : 2 / (d + 1);
    if (d <= 7) t.ok(Math.abs(sum - exact) < 1e-15, `degree ${d}: ${sum} = ${exact}`);
    else t.ok(Math.abs(sum - exact) > 1e-3, `degree 8 is not exact: ${sum} vs ${exact}`);
  }
});

t.test('1/√(2π)', async (t) => {
  t.ok(Math.abs(INV_SQRT_2PI - 1 / Math.sqrt(2 * Math.PI)) < 1e-16);
});
