// Draws the report from the JSON in #data.  All text goes in through
// textContent or attributes set by the DOM, never as markup.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('data').textContent);
  var root = document.getElementById('report');
  var detectors = data.detectors;
  var names = detectors.map(function (d) { return d.name; });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    var k;
    for (k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    var k;
    for (k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function fixed(x) { return typeof x === 'number' ? x.toFixed(2) : '-'; }
  // The mutants a detector ran on: recall's denominator.
  function ran(s) { return s.mutants - s.outcomes.TOOL_ERROR; }
  function row(cells, cls) {
    var tr = el('tr', cls ? {'class': cls} : {});
    cells.forEach(function (c) {
      var td = el('td', typeof c === 'number' ? {'class': 'num'} : {});
      if (c instanceof Node) td.appendChild(c); else td.textContent = String(c);
      tr.appendChild(td);
    });
    return tr;
  }
  function head(cells) {
    var tr = el('tr');
    cells.forEach(function (c) { tr.appendChild(el('th', {}, c)); });
    return tr;
  }
  function section(title) {
    var s = el('section');
    s.appendChild(el('h2', {}, title));
    root.appendChild(s);
    return s;
  }

  // ---- summary: per detector, all mutants then each operator
  var sum = section('Summary per detector');
  var t = el('table', {id: 'summary'});
  t.appendChild(head(['detector', 'operator', 'mutants', 'detected', 'recall', 'Wilson 95%',
    'func only', 'suppressed', 'not discr.', 'missed', 'tool error', 'controls', 'FP', 'FPR',
    'Youden J', 'recall (validated)']));
  detectors.forEach(function (d) {
    function line(name, s, cls) {
      var o = s.outcomes, w = s.recall_wilson95, v = s.validated_only;
      t.appendChild(row([d.name + ' ' + d.version, name, s.mutants, o.DETECTED, fixed(s.recall),
        w ? '[' + fixed(w[0]) + ', ' + fixed(w[1]) + ']' : '-', o.DETECTED_FUNC, o.SUPPRESSED,
        o.NOT_DISCRIMINATED, o.MISSED, o.TOOL_ERROR, s.controls, s.fp,
        fixed(s.fpr), fixed(s.youden_j),
        v.recall !== null ? fixed(v.recall) + ' (' + v.detected + '/' +
          (v.mutants - (v.tool_errors || 0)) + ')' : '-'],
        'summary-row ' + cls));
    }
    line('all', d.overall, 'all');
    Object.keys(d.per_operator).forEach(function (op) { line(op, d.per_operator[op], 'op'); });
  });
  sum.appendChild(t);
  var p = el('p');
  p.textContent = 'Base alerts (leak rule findings on the unmutated code): ' + detectors.map(
    function (d) { return d.name + ' ' + d.base_alerts + ' (' + fixed(d.base_alerts_per_kloc) +
      ' per KLOC)'; }).join(', ') + '. Recall counts DETECTED only, over the mutants the detector ran on (a tool error is ' +
    'left out); FPR is over the controls paired with the operator that it ran on; ' +
    'Youden J = recall - FPR.' + (data.validated_only
    ? ' Every row counts only the mutants verify validated (--validated-only).' : '');
  sum.appendChild(p);

  // ---- recall versus FPR, one chart per detector
  var ch = section('Recall versus false-positive rate');
  var box = el('div', {'class': 'charts'});
  ch.appendChild(box);
  detectors.forEach(function (d) {
    var W = 360, H = 360, L = 44, R = 130, T = 24, B = 40;
    var w = W - L - R, h = H - T - B;
    function x(v) { return L + v * w; }
    function y(v) { return T + (1 - v) * h; }
    var s = svg('svg', {'class': 'chart', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H,
      role: 'img', 'data-detector': d.name});
    s.appendChild(svg('title', {}, d.name + ': recall versus FPR per operator'));
    s.appendChild(svg('text', {x: L, y: 14}, d.name + ' ' + d.version));
    [0, 0.25, 0.5, 0.75, 1].forEach(function (v) {
      s.appendChild(svg('line', {'class': 'grid', x1: x(v), x2: x(v), y1: y(0), y2: y(1)}));
      s.appendChild(svg('line', {'class': 'grid', x1: x(0), x2: x(1), y1: y(v), y2: y(v)}));
      s.appendChild(svg('text', {x: x(v), y: y(0) + 14, 'text-anchor': 'middle'}, v));
      s.appendChild(svg('text', {x: x(0) - 6, y: y(v) + 3, 'text-anchor': 'end'}, v));
    });
    s.appendChild(svg('line', {'class': 'chance', x1: x(0), y1: y(0), x2: x(1), y2: y(1)}));
    s.appendChild(svg('line', {'class': 'axis', x1: x(0), y1: y(0), x2: x(1), y2: y(0)}));
    s.appendChild(svg('line', {'class': 'axis', x1: x(0), y1: y(0), x2: x(0), y2: y(1)}));
    s.appendChild(svg('text', {x: x(0.5), y: H - 6, 'text-anchor': 'middle'},
      'false-positive rate (controls)'));
    s.appendChild(svg('text', {x: 12, y: y(0.5), transform: 'rotate(-90 12 ' + y(0.5) + ')',
      'text-anchor': 'middle'}, 'recall (Wilson 95%)'));
    var points = Object.keys(d.per_operator).map(function (op) {
      return [op, d.per_operator[op], false];
    });
    points.push(['all', d.overall, true]);
    // A row without a mutant the detector ran on has no recall to place.
    points = points.filter(function (q) { return q[1].recall !== null; });
    points.forEach(function (q, i) {
      var st = q[1], px = x(st.controls ? st.fpr : 0), py = y(st.recall);
      var g = svg('g', {'class': 'series', 'data-operator': q[0]});
      g.appendChild(svg('line', {'class': 'bar', x1: px, x2: px,
        y1: y(st.recall_wilson95[0]), y2: y(st.recall_wilson95[1])}));
      var c = svg('circle', {cx: px, cy: py, r: q[2] ? 5 : 4, 'class': 'point' +
        (q[2] ? ' overall' : '') + (st.controls ? '' : ' nocontrols')});
      c.appendChild(svg('title', {}, q[0] + ': recall ' + fixed(st.recall) + ' [' +
        fixed(st.recall_wilson95[0]) + ', ' + fixed(st.recall_wilson95[1]) + '], FPR ' +
        (st.controls ? fixed(st.fpr) : 'no controls') + ', ' + ran(st) + ' mutants'));
      g.appendChild(c);
      // Points often share a place: each is numbered, the legend names the numbers.
      g.appendChild(svg('text', {x: px + 6 + 7 * (i % 2), y: py - 4 - 8 * (i % 3)}, i + 1));
      g.appendChild(svg('text', {x: x(1) + 10, y: T + 15 + i * 14},
        (i + 1) + ' ' + q[0] + (st.controls ? '' : ' (no controls)')));
      s.appendChild(g);
    });
    box.appendChild(s);
  });

  // ---- operator x detector heat map of recall
  var hm = section('Recall per operator and detector');
  var ops = [];
  detectors.forEach(function (d) {
    Object.keys(d.per_operator).forEach(function (op) {
      if (d.per_operator[op].mutants > 0 && ops.indexOf(op) < 0) ops.push(op);
    });
  });
  var ht = el('table', {id: 'heatmap'});
  ht.appendChild(head(['operator'].concat(names)));
  ops.forEach(function (op) {
    var tr = el('tr');
    tr.appendChild(el('th', {}, op));
    detectors.forEach(function (d) {
      var st = d.per_operator[op];
      var td = el('td', {'class': 'heat-cell', 'data-operator': op, 'data-detector': d.name});
      if (st && st.recall !== null) {
        td.textContent = fixed(st.recall) + ' (' + st.outcomes.DETECTED + '/' + ran(st) + ')';
        td.style.background = 'hsl(' + Math.round(120 * st.recall) + ', 65%, 78%)';
      } else {
        td.textContent = '-';
      }
      tr.appendChild(td);
    });
    ht.appendChild(tr);
  });
  hm.appendChild(ht);

  // ---- every mutant and control
  var mt = section('Mutants and controls (' + data.mutants.length + ')');
  var filter = el('input', {id: 'filter', type: 'search',
    placeholder: 'filter rows: operator, path, outcome, id...'});
  mt.appendChild(filter);
  var tt = el('table', {id: 'mutants'});
  tt.appendChild(head(['id', 'operator', 'where', 'function', 'witness'].concat(names)
    .concat(['diff against base'])));
  data.mutants.forEach(function (m) {
    var cells = [m.id + (m.control ? ' (control)' : ''), m.operator,
      m.path + ':' + m.line + ':' + m.col, m.qualname, m.witness || ''];
    names.forEach(function (n) {
      var o = m.outcomes[n] || '-';
      var tier = m.tiers[n];
      cells.push(el('span', {'class': 'outcome o-' + o},
        o + (tier >= 0 ? ' T' + tier : '')));
    });
    var det = el('details');
    det.appendChild(el('summary', {}, m.acquisition));
    var pre = el('pre', {'class': 'diff'});
    m.diff.split('\n').forEach(function (l) {
      var cls = /^@@/.test(l) ? 'hunk' : /^\+(?!\+\+)/.test(l) ? 'add' :
        /^-(?!--)/.test(l) ? 'del' : '';
      pre.appendChild(el('span', cls ? {'class': cls} : {}, l));
    });
    det.appendChild(pre);
    cells.push(det);
    var tr = row(cells, 'mutant-row' + (m.control ? ' control' : ''));
    tr.setAttribute('data-id', m.id);
    tt.appendChild(tr);
  });
  mt.appendChild(tt);
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    Array.prototype.forEach.call(tt.querySelectorAll('tr.mutant-row'), function (tr) {
      tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
  });

  document.body.setAttribute('data-rendered', 'ok');
})();

