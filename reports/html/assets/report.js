// Draws the report's charts with uPlot from the JSON embedded in the page (runs in the browser; fetches nothing).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var px = uPlot.pxRatio;
  var C = {
    ok: '#388e3c', okFill: '#a5d6a7',
    fail: '#c62828', failFill: '#ef9a9a',
    info: '#ef6c00', infoFill: '#ffcc80',
    p50: '#1565c0', p99: '#6a1b9a',
    etcd: '#00838f', vip: '#5d4037',
    fault: 'rgba(255,193,7,0.2)', faultText: '#7a5b00', outage: 'rgba(198,40,40,0.14)',
    marker: { 'etcd-leader': '#d81b60', 'lease-holder': '#3949ab', recovered: '#2e7d32', 'upstream-failure': '#e65100' },
  };
  var PALETTE = ['#1565c0', '#c62828', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457', '#558b2f', '#283593', '#f9a825', '#4e342e'];
  var all = [];
  var stepped = uPlot.paths.stepped({ align: 1 });

  function widthOf(el) { return Math.max(320, Math.floor(el.getBoundingClientRect().width) || 800); }
  var sec = function (ms) { return ms / 1000; };
  var fmtS = function (u, v) { return v == null ? '–' : v.toFixed(2) + ' s'; };
  /** A y range even when a chart has no value at all (every request unknown, no recovery figure in any run). */
  var linear = function (fallback) { return function (u, min, max) { return min == null || max == null ? fallback : uPlot.rangeNum(min, max, 0.1, true); }; };
  var logRange = function (u, min, max) { return min == null || max == null ? [1, 1000] : uPlot.rangeLog(min, max, 10, true); };

  /** Shades fault windows (named on the first chart) and outages behind the series. */
  function windowsPlugin(faults, downtime, labels) {
    return { hooks: { drawAxes: [function (u) {
      var ctx = u.ctx, b = u.bbox;
      ctx.save();
      ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
      var span = function (start, end, fill) {
        var x0 = u.valToPos(sec(start), 'x', true), x1 = u.valToPos(sec(end), 'x', true);
        ctx.fillStyle = fill; ctx.fillRect(x0, b.top, Math.max(px, x1 - x0), b.height);
        return x0;
      };
      downtime.forEach(function (d) { span(d.start, d.end, C.outage); });
      faults.forEach(function (f, i) {
        var x0 = span(f.start, f.end, C.fault);
        if (labels) {
          ctx.fillStyle = C.faultText; ctx.font = 'bold ' + (11 * px) + 'px sans-serif'; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
          ctx.fillText(f.label, x0 + 4 * px, b.top + (4 + 13 * (i % 2)) * px);
        }
      });
      ctx.restore();
    }] } };
  }

  /** Vertical lines for etcd leader changes, Lease holder changes and the recovered marker; labels take the first free row. */
  function markersPlugin(markers) {
    return { hooks: { draw: [function (u) {
      var ctx = u.ctx, b = u.bbox, rowH = 12 * px, rows = Math.max(1, Math.floor(b.height / rowH) - 1), ends = [];
      ctx.save();
      ctx.beginPath(); ctx.rect(b.left, b.top, b.width, b.height); ctx.clip();
      ctx.font = (10 * px) + 'px sans-serif'; ctx.textBaseline = 'top'; ctx.textAlign = 'left';
      markers.forEach(function (m) {
        var x = Math.round(u.valToPos(sec(m.time), 'x', true));
        ctx.strokeStyle = ctx.fillStyle = C.marker[m.kind] || '#333';
        ctx.setLineDash([4 * px, 3 * px]); ctx.lineWidth = px;
        ctx.beginPath(); ctx.moveTo(x, b.top); ctx.lineTo(x, b.top + b.height); ctx.stroke();
        var row = 0;
        while (row < rows && ends[row] !== undefined && ends[row] > x) row++;
        if (row === rows) return;
        ctx.fillText(m.short, x + 3 * px, b.top + 2 * px + row * rowH);
        ends[row] = x + 3 * px + ctx.measureText(m.short).width + 6 * px;
      });
      ctx.restore();
    }] } };
  }

  /** Zooming one chart of a scenario zooms its siblings. */
  function zoomSync(group) {
    var busy = false;
    return { hooks: { setScale: [function (u, key) {
      if (key !== 'x' || busy) return;
      busy = true;
      group.forEach(function (o) { if (o !== u) o.setScale('x', { min: u.scales.x.min, max: u.scales.x.max }); });
      busy = false;
    }] } };
  }

  function make(el, opts, d) {
    var u = new uPlot(Object.assign({ width: widthOf(el), height: 200 }, opts), d, el);
    all.push({ u: u, el: el });
    return u;
  }

  function drawScenario(sc, index) {
    var els = {};
    document.querySelectorAll('[data-testid="chart"][data-index="' + index + '"]').forEach(function (el) { els[el.dataset.chart] = el; });
    var b = sc.buckets;
    var xMax = sec(b.start[b.start.length - 1] + b.bucketMs);
    // A closing point at xMax: the last bucket's step is drawn to its end.
    var x = b.start.map(sec).concat([xMax]);
    var close = function (arr, last) { return arr.concat([last ? arr[arr.length - 1] : null]); };
    var group = [];
    // Every chart's x data spans [0, xMax], so the three line up; a drag zooms all three, a double click resets.
    var xScale = { time: false };
    var common = function (extra) {
      return Object.assign({
        cursor: { sync: { key: 'scenario-' + index } },
        plugins: [windowsPlugin(sc.faults, sc.downtime, !!extra.labels), zoomSync(group)].concat(extra.plugins || []),
      }, extra.opts, { scales: Object.assign({ x: xScale }, extra.opts.scales) });
    };
    var raw = function (arr) { return function (u, v, si, i) { return i == null || arr[i] == null ? '–' : arr[i]; }; };
    var failTop = b.ok.map(function (v, i) { return v + b.fail[i]; });
    var infoTop = failTop.map(function (v, i) { return v + b.info[i]; });
    var xAxis = { label: 's since the scenario started' };
    if (els.requests) group.push(make(els.requests, common({ labels: true, opts: {
      height: 220,
      series: [
        { label: 't', value: fmtS },
        { label: 'unknown', stroke: C.info, fill: C.infoFill, paths: stepped, width: 1, points: { show: false }, value: raw(b.info) },
        { label: 'failed', stroke: C.fail, fill: C.failFill, paths: stepped, width: 1, points: { show: false }, value: raw(b.fail) },
        { label: 'ok', stroke: C.ok, fill: C.okFill, paths: stepped, width: 1, points: { show: false }, value: raw(b.ok) },
      ],
      axes: [xAxis, { label: 'requests / 100 ms' }],
    } }), [x, close(infoTop, true), close(failTop, true), close(b.ok, true)]));
    if (els.latency) group.push(make(els.latency, common({ opts: {
      height: 180,
      scales: { ms: { distr: 3, log: 10, range: logRange } },
      series: [
        { label: 't', value: fmtS },
        { label: 'p50 ms', stroke: C.p50, width: 1, scale: 'ms', spanGaps: false },
        { label: 'p99 ms', stroke: C.p99, width: 1, scale: 'ms', spanGaps: false },
      ],
      axes: [xAxis, { label: 'latency (ms)', scale: 'ms' }],
    } }), [x, close(b.p50.map(positive)), close(b.p99.map(positive))]));
    var s = sc.series;
    var ct = [0].concat(s.time.map(sec), [xMax]);
    var pad = function (a) { return [null].concat(a, [null]); };
    var yMax = Math.max.apply(null, [3].concat(s.etcdMembers.filter(num), s.vipBackends.filter(num))) + 1;
    if (els.cluster) group.push(make(els.cluster, common({ plugins: [markersPlugin(sc.markers)], opts: {
      height: 180,
      scales: { y: { range: [0, yMax] } },
      series: [
        { label: 't', value: fmtS },
        { label: 'etcd healthy', stroke: C.etcd, width: 2, paths: stepped, spanGaps: true, points: { show: false } },
        { label: 'VIP backends', stroke: C.vip, width: 2, dash: [6, 4], paths: stepped, spanGaps: true, points: { show: false } },
      ],
      axes: [xAxis, { label: 'count', incrs: [1, 2, 5] }],
    } }), [ct, pad(s.etcdHealthy), pad(s.vipBackends)]));
  }

  function positive(v) { return v != null && v > 0 ? v : null; }
  function num(v) { return typeof v === 'number'; }

  function drawTrend(t) {
    var idx = t.runs.map(function (_, i) { return i; });
    var axisX = {
      splits: function () { return idx; },
      values: function (u, splits) { return splits.map(function (i) { return t.labels[i] || ''; }); },
      label: 'run',
    };
    var chart = function (kind, rows, yLabel, scaleRow, yFallback) {
      var el = document.querySelector('[data-testid="chart"][data-chart="' + kind + '"]');
      if (!el) return;
      make(el, {
        height: 220,
        scales: { x: { time: false, range: [-0.5, Math.max(0.5, idx.length - 0.5)] }, y: { range: linear(yFallback) } },
        series: [{ label: 'run', value: function (u, v) { return v == null ? '–' : t.labels[v] || ''; } }].concat(t.scenarios.map(function (name, i) {
          return { label: name, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true, points: { show: true, size: 6 } };
        })),
        axes: [axisX, { label: yLabel }],
      }, [idx].concat(rows.map(function (r) { return r.map(scaleRow); })));
    };
    chart('trend-availability', t.availabilityPct, 'availability %', function (v) { return v; }, [0, 100]);
    chart('trend-recovery', t.recoveryMs, 'recovery (s)', function (v) { return v == null ? null : v / 1000; }, [0, 1]);
  }

  data.scenarios.forEach(function (sc, i) { if (sc) drawScenario(sc, i); });
  if (data.trend) drawTrend(data.trend);

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { all.forEach(function (c) { c.u.setSize({ width: widthOf(c.el), height: c.u.height }); }); });
  });
  document.documentElement.dataset.chartsDrawn = String(all.length);
})();
