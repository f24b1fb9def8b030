// The live anomaly page: polls the detector's REST API, no framework, no build step. Charts are drawn by uPlot
// (vendored under vendor/, see docs/live-page.md).
'use strict';
(function () {
  const REFRESH_MS = 1500;
  const HISTORY_MS = 5000;
  const $ = (id) => document.getElementById(id);
  const seen = new Set();
  const colors = {
    mean: '#94a3b8', highest: '#2563eb', threshold: '#b91c1c', anomaly: '#ea580c',
    produced: '#2563eb', scored: '#16a34a', published: '#ea580c', archived: '#7c3aed',
  };
  let firstLoad = true;
  let tickerFilter = null;
  // what the records are (GET /api/detector/settings, input): the key field, the features, the event-time field
  let stream = { key: null, features: [], time: null };
  let lastHistory = 0;

  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return d.toISOString().substring(11, 23);
  }
  function fmtNumber(n, digits) {
    return Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  // ~330, ~12.3, ~1,230: what the model expected, to three significant digits
  function fmtApprox(n) {
    return Number(Number(n).toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  }
  function fmtSeconds(s) {
    if (s == null) return '–';
    return s < 1 ? `${fmtNumber(s * 1000, 0)} ms` : `${fmtNumber(s, 1)} s`;
  }
  // A field by the name the settings give it: whole first, else as a dotted path into nested objects.
  function field(record, name) {
    if (!record || name == null) return undefined;
    if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
    let value = record;
    for (const part of name.split('.')) {
      if (value == null || typeof value !== 'object') return undefined;
      value = value[part];
    }
    return value;
  }
  function featureValue(a, feature) {
    const value = field(a, feature);
    if (value == null) return '';
    if (typeof value !== 'number') return String(value);
    return value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 1 ? 2 : 6 });
  }
  function keyOf(a) {
    const value = stream.key == null ? '' : field(a, stream.key);
    return value == null ? '' : String(value);
  }
  function identity(a) {
    const sub = a.sourceSubSequenceNumber != null ? `/${a.sourceSubSequenceNumber}` : '';
    return `${a.sourceShardId}/${a.sourceSequenceNumber}${sub}`;
  }

  // What drove an anomaly, in words: the features by their share of the score, each with its value and, when the
  // detector says what it expected (EXPECTED), that: "price 815.88, expected ~330". Without EXPECTED, the direction
  // and the share of the score: "price 815.88, high (97% of the score)". Features with a small share are left out.
  function drivers(a) {
    const explanation = a.ANOMALY_EXPLANATION;
    if (!explanation) return [];
    const entries = Object.entries(explanation).filter(([, e]) => e && e.ATTRIBUTION_SCORE != null);
    const total = entries.reduce((sum, [, e]) => sum + Math.max(0, e.ATTRIBUTION_SCORE), 0) || 1;
    return entries
      .sort((x, y) => y[1].ATTRIBUTION_SCORE - x[1].ATTRIBUTION_SCORE)
      .filter(([, e], i) => i === 0 || e.ATTRIBUTION_SCORE / total >= 0.2)
      .map(([feature, e]) => {
        const value = featureValue(a, feature);
        const share = Math.round((Math.max(0, e.ATTRIBUTION_SCORE) / total) * 100);
        const arrow = e.DIRECTION === 'LOW' ? '↓' : '↑';
        const text = e.EXPECTED != null
          ? `${feature} ${value}, expected ~${fmtApprox(e.EXPECTED)}`
          : `${feature} ${value}, ${e.DIRECTION === 'LOW' ? 'low' : 'high'} (${share}% of the score)`;
        const brief = e.EXPECTED != null ? `${feature} ${value} (~${fmtApprox(e.EXPECTED)})` : `${feature} ${value} ${arrow}`;
        return { feature, arrow, text, brief, share };
      });
  }

  // KDA's ORDER BY FLOOR(ROWTIME TO SECOND), ANOMALY_SCORE DESC, newest second first; ROWTIME is the record's arrival
  // on the input stream (/api/anomalies already answers in this order).
  function order(anomalies) {
    const second = (a) => Math.floor(Date.parse(a.arrivalTime || a.detectedAt) / 1000);
    return anomalies.slice().sort((a, b) => second(b) - second(a) || b.ANOMALY_SCORE - a.ANOMALY_SCORE);
  }

  function renderRows(anomalies) {
    const tbody = $('rows');
    const fragment = document.createDocumentFragment();
    const maxScore = Math.max(1e-9, ...anomalies.map((a) => a.ANOMALY_SCORE));
    for (const a of order(anomalies)) {
      const tr = document.createElement('tr');
      const id = identity(a);
      tr.dataset.id = id;
      tr.dataset.ticker = keyOf(a);
      if (!firstLoad && !seen.has(id)) tr.className = 'fresh';
      const time = stream.time != null ? field(a, stream.time) : a.arrivalTime;
      const cells = [[fmtTime(a.detectedAt)], [typeof time === 'number' ? new Date(time).toISOString().substring(11, 23) : fmtTime(time)], [keyOf(a)]];
      for (const feature of stream.features) {
        const e = a.ANOMALY_EXPLANATION && a.ANOMALY_EXPLANATION[feature];
        const expected = e && e.EXPECTED != null ? ` (~${fmtApprox(e.EXPECTED)})` : '';
        cells.push([`${featureValue(a, feature)}${expected}`, 'num']);
      }
      for (const [text, cls] of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        if (cls) td.className = cls;
        tr.appendChild(td);
      }
      const score = document.createElement('td');
      score.className = 'num';
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${Math.max(2, Math.round((a.ANOMALY_SCORE / maxScore) * 40))}px`;
      bar.setAttribute('aria-hidden', 'true');
      score.append(bar, fmtNumber(a.ANOMALY_SCORE, 2));
      tr.appendChild(score);
      const why = document.createElement('td');
      why.className = 'why';
      drivers(a).forEach((d, i) => {
        const part = document.createElement('span');
        part.className = i === 0 ? 'driver main' : 'driver';
        const arrow = document.createElement('span');
        arrow.className = 'dir';
        arrow.setAttribute('aria-hidden', 'true');
        arrow.textContent = `${d.arrow} `;
        part.append(arrow, d.text);
        why.appendChild(part);
      });
      tr.appendChild(why);
      fragment.appendChild(tr);
    }
    anomalies.forEach((a) => seen.add(identity(a)));
    tbody.replaceChildren(fragment);
    $('row-count').textContent = String(anomalies.length);
    $('filter').hidden = tickerFilter == null;
    $('filter-ticker').textContent = tickerFilter || '';
    firstLoad = false;
  }

  // The list is updated in place (one button per ticker, moved into order), so that a click is never lost to a
  // refresh replacing the button under the pointer.
  const tickerItems = new Map();
  function tickerItem(symbol) {
    let item = tickerItems.get(symbol);
    if (item) return item;
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.ticker = symbol;
    const name = document.createElement('span');
    name.className = 'ticker';
    name.textContent = symbol;
    const count = document.createElement('span');
    count.className = 'count';
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('aria-hidden', 'true');
    const latest = document.createElement('span');
    latest.className = 'latest';
    button.append(name, count, bar, latest);
    button.addEventListener('click', () => setFilter(symbol === tickerFilter ? null : symbol));
    li.appendChild(button);
    item = { li, button, count, bar, latest };
    tickerItems.set(symbol, item);
    return item;
  }

  function renderTickers(lines) {
    const list = $('tickers');
    const most = Math.max(1, ...lines.map((l) => l.count));
    const items = lines.map((line) => {
      const item = tickerItem(line.key);
      item.button.setAttribute('aria-pressed', String(line.key === tickerFilter));
      item.count.textContent = fmtNumber(line.count, 0);
      item.bar.style.width = `${Math.max(2, Math.round((line.count / most) * 100))}%`;
      const l = line.latest;
      const driver = drivers(l)[0];
      item.latest.textContent = `latest ${fmtTime(l.detectedAt).substring(0, 8)} · ${fmtNumber(l.ANOMALY_SCORE, 2)}`
        + (driver ? ` · ${driver.brief}` : '');
      item.latest.title = `latest ${fmtTime(l.detectedAt)} UTC, score ${fmtNumber(l.ANOMALY_SCORE, 2)}`
        + (driver ? `: ${driver.text}` : '');
      return item.li;
    });
    const shown = new Set(lines.map((l) => l.key));
    for (const [symbol, item] of tickerItems) {
      if (!shown.has(symbol)) { item.li.remove(); tickerItems.delete(symbol); }
    }
    if (!lines.length) {
      const li = document.createElement('li');
      li.className = 'empty';
      li.textContent = 'No anomaly yet.';
      list.replaceChildren(li);
      return;
    }
    list.querySelectorAll('li.empty').forEach((li) => li.remove());
    items.forEach((li, i) => { if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null); });
  }

  function setFilter(ticker) {
    tickerFilter = ticker;
    firstLoad = true; // rows of another selection are not "fresh"
    document.querySelectorAll('#tickers button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.ticker === ticker)));
    refreshRows().catch((e) => show(`Cannot reach the detector: ${e}`, true));
  }

  function setFigure(id, text, unreachable, title) {
    const el = $(id);
    el.textContent = text;
    el.classList.toggle('unreachable', Boolean(unreachable));
    if (title) el.title = title; else el.removeAttribute('title');
  }

  function renderFigures(f) {
    setFigure('fig-rate', fmtNumber(f.tradesScoredPerSecond, 1));
    setFigure('fig-anomalies', fmtNumber(f.anomaliesPerMinute, 1));
    const kind = { KDA: 'fixed', SURPRISE: 'decades', CALIBRATED: 'floor' }[f.method] || '';
    setFigure('fig-threshold', kind ? `${f.threshold} (${kind})` : `${f.threshold}`);
    setFigure('fig-lag', f.lagMillis < 1000 ? `${f.lagMillis} ms` : `${fmtNumber(f.lagMillis / 1000, 1)} s`);
    setFigure('fig-quality', f.precision == null ? 'no labels'
      : `${fmtNumber(f.precision, 3)} / ${f.recall == null ? '–' : fmtNumber(f.recall, 3)}`);
    const p = f.pipeline || {};
    const producer = p.producer || {};
    const archiver = p.archiver || {};
    setFigure('fig-produced', producer.reachable ? (p.tradesProducedPerSecond == null ? '…' : fmtNumber(p.tradesProducedPerSecond, 1))
      : 'not reachable', !producer.reachable, producer.reachable ? null : `${producer.url}: ${producer.problem}`);
    setFigure('fig-archived', archiver.reachable ? fmtNumber(p.anomaliesArchived || 0, 0) : 'not reachable',
      !archiver.reachable, archiver.reachable ? null : `${archiver.url}: ${archiver.problem}`);
    $('fig-objects').textContent = archiver.reachable ? `in ${fmtNumber(p.archiveObjectsWritten || 0, 0)} objects` : '';
    $('fig-archiver-lag').textContent = archiver.reachable && p.archiverLagMillis != null
      ? `detector; archiver ${fmtSeconds(p.archiverLagMillis / 1000)}` : 'detector';
    renderServices([producer, archiver]);
    $('threshold-kind').textContent = {
      CALIBRATED: 'threshold (the floor: each key\'s own cut-off is at or above it)',
      SURPRISE: 'threshold (decades of surprise: 4 is one record in 10,000 for every key)',
    }[f.method] || 'threshold';
    // filled in once: a field the user has just cleared to type into is not refilled under them
    const input = $('threshold');
    if (!input.dataset.filled) {
      input.dataset.filled = 'true';
      if (input.value === '') input.value = f.threshold;
    }
  }

  function renderServices(services) {
    const el = $('services');
    const parts = services.filter((s) => s.name).map((s) => {
      const span = document.createElement('span');
      span.className = s.reachable ? 'service up' : 'service down';
      span.dataset.service = s.name;
      span.textContent = s.reachable ? `${s.name} reachable at ${s.url}` : `${s.name} not reachable at ${s.url}`;
      if (!s.reachable) span.title = s.problem || '';
      return span;
    });
    el.replaceChildren(...parts);
  }

  // ---- charts ----
  const charts = {};

  function chartWidth(el) {
    return Math.max(280, el.clientWidth);
  }

  // y from 0 to a little above the highest value; on the score chart the scores decide, and a threshold far above
  // them (set to mute the detector) is drawn at the top edge instead of flattening them.
  function yRange(u, min, max) {
    if (u.root.parentElement && u.root.parentElement.id === 'score-chart') {
      const highest = (i) => Math.max(0, ...u.data[i].filter((v) => v != null));
      const scores = Math.max(highest(1), highest(2), highest(4));
      const threshold = highest(3);
      const top = scores > 0 && threshold > scores * 2 ? scores : Math.max(scores, threshold);
      return [0, top > 0 ? top * 1.1 : 1];
    }
    return [0, max > 0 ? max * 1.1 : 1];
  }

  // Times in UTC, as in the table.
  const utc = (seconds) => new Date(seconds * 1000).toISOString().substring(11, 19);

  function makeChart(id, height, series, yLabel) {
    const el = $(id);
    const opts = {
      width: chartWidth(el),
      height,
      series: [{ label: 'UTC', value: (u, v) => (v == null ? '–' : utc(v)) }].concat(series),
      scales: { x: { time: true }, y: { range: yRange } },
      axes: [
        { stroke: '#5d6675', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e3e6eb' }, space: 70,
          values: (u, splits) => splits.map((v) => utc(v).substring(0, v % 60 === 0 ? 5 : 8)) },
        { stroke: '#5d6675', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e3e6eb' }, label: yLabel, labelSize: 20, size: 56 },
      ],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
    };
    const chart = new uPlot(opts, [[], ...series.map(() => [])], el);
    charts[id] = chart;
    return chart;
  }

  function line(label, stroke, extra) {
    return Object.assign({ label, stroke, width: 2, spanGaps: false, points: { show: false } }, extra || {});
  }

  function initCharts() {
    if (typeof uPlot === 'undefined') return; // the page still works without its charts
    const anomalyTickers = [];
    const scoreChart = makeChart('score-chart', 340, [
      line('Ordinary, mean', colors.mean, { spanGaps: true, width: 1.5, value: (u, v) => (v == null ? '–' : fmtNumber(v, 2)) }),
      line('Ordinary, highest', colors.highest, { spanGaps: true, value: (u, v) => (v == null ? '–' : fmtNumber(v, 2)) }),
      line('Threshold', colors.threshold, { spanGaps: true, dash: [8, 5], paths: uPlot.paths.stepped({ align: 1 }) }),
      {
        label: 'Anomaly', stroke: colors.anomaly, fill: colors.anomaly, width: 0, paths: () => null,
        points: { show: true, size: 7, stroke: colors.anomaly, fill: colors.anomaly },
        value: (u, v, si, i) => (v == null ? '–' : `${fmtNumber(v, 2)} ${anomalyTickers[i] || ''}`),
      },
    ], 'score');
    scoreChart.anomalyTickers = anomalyTickers;
    makeChart('chart-trades', 170, [line('Produced', colors.produced), line('Scored', colors.scored)], 'per s');
    makeChart('chart-anomalies', 170, [line('Published', colors.published),
      line('Archived', colors.archived, { paths: uPlot.paths.stepped({ align: 1 }) })], 'anomalies');
    makeChart('chart-lag', 170, [line('Detector', colors.scored), line('Archiver', colors.archived)], 's');
    window.addEventListener('resize', () => {
      for (const [id, chart] of Object.entries(charts)) chart.setSize({ width: chartWidth($(id)), height: chart.height });
    });
  }

  // The 5-s series and the anomaly points share one x axis: the points are merged in by time (nudged apart by a
  // microsecond when a batch's anomalies share their detection time), the lines span the gaps this leaves.
  function scoreData(h) {
    const rows = [];
    h.times.forEach((t, i) => rows.push({ t, mean: h.meanScore[i], highest: h.highestOrdinaryScore[i], threshold: h.threshold[i] }));
    const a = h.anomalies;
    a.times.forEach((ms, i) => rows.push({ t: ms / 1000, score: a.scores[i], ticker: a.keys[i] }));
    rows.sort((x, y) => x.t - y.t);
    const data = [[], [], [], [], []];
    const tickers = [];
    let previous = -Infinity;
    for (const r of rows) {
      const t = r.t <= previous ? previous + 1e-6 : r.t;
      previous = t;
      data[0].push(t);
      data[1].push(r.mean === undefined ? null : r.mean);
      data[2].push(r.highest === undefined ? null : r.highest);
      data[3].push(r.threshold === undefined ? null : r.threshold);
      data[4].push(r.score === undefined ? null : r.score);
      tickers.push(r.ticker || '');
    }
    return { data, tickers };
  }

  // Without the cursor on a chart, its legend shows the newest values (of the row given).
  function update(chart, data, legendRow) {
    chart.setData(data);
    if (chart.cursor.left == null || chart.cursor.left < 0) {
      const idx = legendRow != null ? legendRow : data[0].length - 1;
      if (idx >= 0) chart.setLegend({ idx });
    }
  }

  function renderHistory(h) {
    if (!charts['score-chart']) return;
    const scores = scoreData(h);
    const scoreChart = charts['score-chart'];
    scoreChart.anomalyTickers.splice(0, scoreChart.anomalyTickers.length, ...scores.tickers);
    let lastSample = scores.data[3].length - 1;
    while (lastSample > 0 && scores.data[3][lastSample] == null) lastSample--;
    update(scoreChart, scores.data, lastSample);
    update(charts['chart-trades'], [h.times, h.producedPerSecond, h.scoredPerSecond]);
    update(charts['chart-anomalies'], [h.times, h.publishedInWindow, h.archivedInWindow]);
    update(charts['chart-lag'], [h.times, h.detectorLagSeconds, h.archiverLagSeconds]);
  }

  // ---- polling ----
  async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  }

  async function refreshRows() {
    const url = tickerFilter == null ? '/api/anomalies?limit=100'
      : `/api/anomalies?limit=100&key=${encodeURIComponent(tickerFilter)}`;
    renderRows(await getJson(url));
  }

  async function refresh() {
    try {
      const [figures, tickers] = await Promise.all([getJson('/api/live'), getJson('/api/anomalies/keys'), refreshRows()]);
      renderFigures(figures);
      renderTickers(tickers);
      if (Date.now() - lastHistory >= HISTORY_MS - 100) {
        lastHistory = Date.now();
        renderHistory(await getJson('/api/live/history'));
      }
      if ($('message').classList.contains('error') && $('message').textContent.startsWith('Cannot reach')) show('', false);
    } catch (e) {
      show(`Cannot reach the detector: ${e}`, true);
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  function show(text, error) {
    const message = $('message');
    message.textContent = text;
    message.className = error ? 'error' : 'ok';
  }

  async function put(url, body) {
    const password = $('password').value;
    if (!password) {
      show('Enter the admin password first.', true);
      $('password').focus();
      return;
    }
    const response = await fetch(url, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'X-Requested-With': 'XMLHttpRequest',
        Authorization: `Basic ${btoa(`admin:${password}`)}`,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let payload = null;
    try { payload = JSON.parse(text); } catch (ignored) { /* not JSON */ }
    if (!response.ok) {
      const detail = payload && (payload.detail || payload.title) ? `${payload.title || ''}: ${payload.detail || ''}` : text;
      show(`${response.status} — ${detail}`, true);
      return null;
    }
    return payload;
  }

  $('threshold-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = Number($('threshold').value);
    const result = await put('/api/detector/settings', { threshold: value });
    if (result) show(`Threshold set to ${result.threshold}.`, false);
  });

  $('outlier-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = Number($('outlier-rate').value);
    const result = await put('/api/live/producer-settings', { outlierRate: value });
    if (result) show(`Outlier rate set to ${result.outlierRate}.`, false);
  });

  $('filter-clear').addEventListener('click', () => setFilter(null));

  fetch('/api/live/producer-settings').then((r) => (r.ok ? r.json() : null)).then((s) => {
    if (s && $('outlier-rate').value === '') $('outlier-rate').value = s.outlierRate;
  }).catch(() => {});
  // The table's columns follow what the records are: the key, then one column per feature (value, and ~what the
  // model expected), whatever the stream.
  function renderColumns() {
    document.querySelectorAll('.key-name').forEach((el) => { el.textContent = stream.key == null ? 'stream' : stream.key; });
    const header = $('columns');
    const cells = [['Detected'], [stream.time != null ? stream.time : 'Arrived'], [stream.key == null ? 'Key' : stream.key]];
    stream.features.forEach((f) => cells.push([f, 'num']));
    cells.push(['Score', 'num'], ['Driven by']);
    header.replaceChildren(...cells.map(([text, cls]) => {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      if (cls) th.className = cls;
      return th;
    }));
  }

  async function start() {
    try {
      const settings = await getJson('/api/detector/settings');
      if (settings.input) stream = { key: settings.input.key, features: settings.input.features || [], time: settings.input.time };
    } catch (e) {
      show(`Cannot reach the detector: ${e}`, true);
    }
    renderColumns();
    refresh();
  }

  initCharts();
  window.livePage = { charts, drivers, order };
  window.livePageLoadedAt = Date.now(); // a reload would reset it (the browser test checks it does not)
  start();
}());
