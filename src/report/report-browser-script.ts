/**
 * The page's own script (plain browser JavaScript, inlined after Chart.js). It reads the chart
 * configurations embedded as JSON, adds what JSON cannot carry (tooltip callbacks, the
 * equal-aspect plugin, view buttons), draws every chart, then checks that each canvas really
 * holds coloured pixels and publishes the result for tests and the curious:
 * `window.__reportStatus = { ready, charts: [{ id, width, height, painted, coloured }], errors }`
 * and `window.__reportReady = true` once every chart is drawn and settled.
 *
 * Kept as a string, not compiled TypeScript: it runs in the viewer's browser, not in Node.
 */
export const REPORT_BROWSER_SCRIPT = String.raw`
(function () {
  'use strict';
  var status = { ready: false, charts: [], errors: [] };
  window.__reportStatus = status;
  window.__reportReady = false;
  function fail(message) {
    status.errors.push(String(message));
    var banner = document.getElementById('report-errors');
    if (banner) { banner.hidden = false; banner.textContent = 'Report problem: ' + status.errors.join('; '); }
    console.error('[report] ' + message);
  }
  if (typeof window.Chart !== 'function') { fail('Chart.js did not load'); return; }
  var Chart = window.Chart;
  var data;
  try { data = JSON.parse(document.getElementById('report-data').textContent); }
  catch (e) { fail('embedded data unreadable: ' + e); return; }

  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  Chart.defaults.color = '#3c4450';

  // Plan view: one metre per pixel on both axes. The wanted view (chart.$view) is widened in
  // one direction to the canvas's aspect; the new ranges apply on the next frame (a chart must
  // not be updated from inside its own layout).
  var equalAspect = {
    id: 'equalAspect',
    afterLayout: function (chart, _args, opts) {
      if (!opts || !opts.enabled || !chart.$view) return;
      var v = chart.$view, area = chart.chartArea;
      var w = area.right - area.left, h = area.bottom - area.top;
      if (!(w > 0 && h > 0) || v.xMin === null || v.yMin === null) return;
      var k = Math.max((v.xMax - v.xMin) / w, (v.yMax - v.yMin) / h);
      var cx = (v.xMin + v.xMax) / 2, cy = (v.yMin + v.yMax) / 2;
      var want = { xMin: cx - k * w / 2, xMax: cx + k * w / 2, yMin: cy - k * h / 2, yMax: cy + k * h / 2 };
      var sx = chart.options.scales.x, sy = chart.options.scales.y;
      var off = Math.abs(sx.min - want.xMin) + Math.abs(sx.max - want.xMax) + Math.abs(sy.min - want.yMin) + Math.abs(sy.max - want.yMax);
      if (off < k * 0.5 || (chart.$eqPasses || 0) >= 4) { chart.$eqPending = false; return; }
      chart.$eqPasses = (chart.$eqPasses || 0) + 1;
      chart.$eqPending = true;
      sx.min = want.xMin; sx.max = want.xMax; sy.min = want.yMin; sy.max = want.yMax;
      requestAnimationFrame(function () { chart.update('none'); });
    },
    resize: function (chart) { chart.$eqPasses = 0; }
  };
  Chart.register(equalAspect);

  function pointLabel(ctx) {
    var raw = ctx.raw;
    if (raw && typeof raw === 'object' && typeof raw.n === 'string') return raw.n;
    return undefined; // Chart.js falls back to its default label
  }

  var charts = {};
  data.charts.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    if (!canvas) { fail('no canvas for chart ' + spec.id); return; }
    var config = spec.config;
    config.options = config.options || {};
    config.options.plugins = config.options.plugins || {};
    var tooltip = config.options.plugins.tooltip = config.options.plugins.tooltip || {};
    tooltip.callbacks = Object.assign({}, tooltip.callbacks, { label: pointLabel });
    try {
      var chart = new Chart(canvas, config);
      charts[spec.id] = chart;
      if (spec.views && spec.views.length > 0) {
        // The first layout ran inside the constructor, before the chart had a view to keep.
        chart.$view = spec.views[0];
        chart.update('none');
      }
    } catch (e) { fail('chart ' + spec.id + ': ' + e); }
  });

  document.querySelectorAll('.views').forEach(function (group) {
    var id = group.getAttribute('data-chart');
    var spec = data.charts.filter(function (s) { return s.id === id; })[0];
    group.querySelectorAll('button').forEach(function (button) {
      button.addEventListener('click', function () {
        var chart = charts[id];
        if (!chart || !spec) return;
        var view = spec.views[Number(button.getAttribute('data-view'))];
        group.querySelectorAll('button').forEach(function (b) { b.classList.toggle('active', b === button); });
        chart.$view = view; chart.$eqPasses = 0;
        var sx = chart.options.scales.x, sy = chart.options.scales.y;
        sx.min = view.xMin === null ? undefined : view.xMin; sx.max = view.xMax === null ? undefined : view.xMax;
        sy.min = view.yMin === null ? undefined : view.yMin; sy.max = view.yMax === null ? undefined : view.yMax;
        chart.update('none');
      });
    });
  });

  // Count painted and coloured (saturated) pixels of a canvas, sampling a grid.
  function inspect(id, chart) {
    var canvas = chart.canvas, ctx = canvas.getContext('2d');
    var w = canvas.width, h = canvas.height, painted = 0, coloured = 0;
    var pixels = ctx.getImageData(0, 0, w, h).data;
    for (var y = 0; y < h; y += 2) {
      for (var x = 0; x < w; x += 2) {
        var i = (y * w + x) * 4;
        if (pixels[i + 3] === 0) continue;
        painted++;
        var r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
      }
    }
    return { id: id, width: w, height: h, painted: painted, coloured: coloured };
  }

  var frames = 0;
  function settle() {
    frames++;
    var pending = Object.keys(charts).some(function (id) { return charts[id].$eqPending; });
    if (pending && frames < 30) { requestAnimationFrame(settle); return; }
    status.charts = Object.keys(charts).map(function (id) { return inspect(id, charts[id]); });
    status.charts.forEach(function (c) { if (c.coloured === 0) fail('chart ' + c.id + ' drew nothing coloured'); });
    status.ready = true;
    window.__reportReady = true;
    document.documentElement.setAttribute('data-report-ready', 'true');
  }
  requestAnimationFrame(function () { requestAnimationFrame(settle); });
})();
`;
