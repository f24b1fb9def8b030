// The live anomaly page: polls the detector's REST API, no framework, no build step.
'use strict';
(function () {
  const REFRESH_MS = 1500;
  const SPARK_WINDOW_MS = 5 * 60 * 1000;
  const $ = (id) => document.getElementById(id);
  const seen = new Set();
  let firstLoad = true;

  function fmtTime(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    return d.toISOString().substring(11, 23);
  }
  function fmtNumber(n, digits) {
    return Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function driver(explanation) {
    if (!explanation) return '';
    const parts = Object.entries(explanation)
      .sort((a, b) => b[1].ATTRIBUTION_SCORE - a[1].ATTRIBUTION_SCORE)
      .map(([feature, e]) => `${feature} ${e.DIRECTION === 'HIGH' ? '↑' : '↓'} ${fmtNumber(e.ATTRIBUTION_SCORE, 2)}`);
    return parts.join(' · ');
  }
  // KDA's ORDER BY FLOOR(ROWTIME TO SECOND), ANOMALY_SCORE DESC, newest second first; ROWTIME is the trade's arrival
  // on the trades stream (/api/anomalies already answers in this order).
  function order(anomalies) {
    const second = (a) => Math.floor(Date.parse(a.arrivalTime || a.detectedAt) / 1000);
    return anomalies.slice().sort((a, b) => second(b) - second(a) || b.ANOMALY_SCORE - a.ANOMALY_SCORE);
  }

  function renderRows(anomalies) {
    const tbody = $('rows');
    const fragment = document.createDocumentFragment();
    const maxScore = Math.max(1, ...anomalies.map((a) => a.ANOMALY_SCORE));
    for (const a of order(anomalies)) {
      const tr = document.createElement('tr');
      tr.dataset.id = String(a.id);
      if (!firstLoad && !seen.has(a.id)) tr.className = 'fresh';
      const cells = [
        [fmtTime(a.detectedAt)], [fmtTime(a.tradeTime)], [a.tickerSymbol], [a.tradeType],
        [fmtNumber(a.price, 2), 'num'], [fmtNumber(a.quantity, 0), 'num'], [String(a.id), 'num'],
      ];
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
      bar.style.width = `${Math.round((a.ANOMALY_SCORE / maxScore) * 40)}px`;
      bar.setAttribute('aria-hidden', 'true');
      score.append(bar, fmtNumber(a.ANOMALY_SCORE, 2));
      tr.appendChild(score);
      const why = document.createElement('td');
      why.textContent = driver(a.ANOMALY_EXPLANATION);
      tr.appendChild(why);
      fragment.appendChild(tr);
    }
    anomalies.forEach((a) => seen.add(a.id));
    tbody.replaceChildren(fragment);
    $('row-count').textContent = String(anomalies.length);
    firstLoad = false;
  }

  function renderSparkline(anomalies) {
    const svg = $('sparkline');
    const now = Date.now();
    const points = anomalies
      .map((a) => [Date.parse(a.detectedAt), a.ANOMALY_SCORE])
      .filter(([t]) => now - t <= SPARK_WINDOW_MS)
      .sort((a, b) => a[0] - b[0]);
    const max = Math.max(1, ...points.map((p) => p[1]));
    const xy = points.map(([t, s]) => [300 - ((now - t) / SPARK_WINDOW_MS) * 300, 58 - (s / max) * 54]);
    svg.replaceChildren();
    const ns = 'http://www.w3.org/2000/svg';
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
    svg.appendChild(line);
    for (const [x, y] of xy.slice(-60)) {
      const dot = document.createElementNS(ns, 'circle');
      dot.setAttribute('cx', x.toFixed(1));
      dot.setAttribute('cy', y.toFixed(1));
      dot.setAttribute('r', '1.6');
      svg.appendChild(dot);
    }
  }

  function renderFigures(f) {
    $('fig-rate').textContent = fmtNumber(f.tradesScoredPerSecond, 1);
    $('fig-anomalies').textContent = fmtNumber(f.anomaliesPerMinute, 1);
    $('fig-threshold').textContent = `${f.threshold} (${f.thresholdMode.toLowerCase()})`;
    $('fig-lag').textContent = f.lagMillis < 1000 ? `${f.lagMillis} ms` : `${fmtNumber(f.lagMillis / 1000, 1)} s`;
    $('fig-quality').textContent = f.precision == null ? 'no labels'
      : `${fmtNumber(f.precision, 3)} / ${f.recall == null ? '–' : fmtNumber(f.recall, 3)}`;
    const input = $('threshold');
    if (document.activeElement !== input && input.value === '') input.value = f.threshold;
  }

  async function refresh() {
    try {
      const [anomalies, figures] = await Promise.all([
        fetch('/api/anomalies?limit=100').then((r) => r.json()),
        fetch('/api/live').then((r) => r.json()),
      ]);
      renderRows(anomalies);
      renderSparkline(anomalies);
      renderFigures(figures);
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

  fetch('/api/live/producer-settings').then((r) => (r.ok ? r.json() : null)).then((s) => {
    if (s && $('outlier-rate').value === '') $('outlier-rate').value = s.outlierRate;
  }).catch(() => {});
  window.livePageLoadedAt = Date.now(); // a reload would reset it (the browser test checks it does not)
  refresh();
}());
