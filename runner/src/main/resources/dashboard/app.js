// Ludus dashboard: polls the JSON routes of the server that served this page and draws SVG by hand.
// Nothing is fetched from anywhere else; data is put in the page as text, never as HTML.
'use strict';
(() => {
  const COLORS = ['#1565c0', '#d84315', '#2e7d32', '#6a1b9a', '#00838f', '#f9a825', '#ad1457', '#4e342e'];
  const SVGNS = 'http://www.w3.org/2000/svg';
  const PAGE = 25;
  const params = new URLSearchParams(location.search);
  const state = {
    runs: new Map(), // id -> {info, color, points, next, selected}
    focus: params.get('run'),
    poll: Number(params.get('poll')) || 0,
    offset: 0,
    episodesTotal: -1,
    episode: null, // index shown in the viewer
    chartsKey: '',
    picked: false, // a run was chosen (by the page, at the first run found, or by the user)
  };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'style') Object.assign(e.style, v); // CSSOM, which the page's CSP allows (style="" is not)
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function sv(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  async function getJson(url) {
    const r = await fetch(url, { cache: 'no-store' });
    if (!r.ok) {
      let message = r.status + ' ' + r.statusText;
      try { message = (await r.json()).error; } catch (e) { /* not JSON */ }
      throw new Error(message);
    }
    return r.json();
  }

  function fmt(v) {
    if (typeof v !== 'number') return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(2);
    if (Number.isInteger(v)) return String(v);
    return v.toFixed(3);
  }

  const api = (id, tail) => '/api/runs/' + encodeURIComponent(id) + (tail || '');

  // ---- runs ---------------------------------------------------------------------------------------------------

  async function refreshRuns() {
    const list = await getJson('/api/runs');
    for (const info of list) {
      let run = state.runs.get(info.id);
      if (!run) {
        run = { info, color: COLORS[state.runs.size % COLORS.length], points: [], next: 0, selected: false };
        state.runs.set(info.id, run);
      }
      run.info = info;
    }
    const runs = [...state.runs.values()];
    if (runs.length && !state.picked) {
      state.picked = true;
      const wanted = state.focus && state.runs.get(state.focus);
      const pick = wanted || [...runs].reverse().find((r) => r.info.kind === 'train') || runs[runs.length - 1];
      pick.selected = true;
      if (!state.focus || !state.runs.has(state.focus)) focus(pick.info.id);
    }
    renderRuns();
  }

  function renderRuns() {
    const ul = $('runs');
    ul.replaceChildren(...[...state.runs.values()].map((run) => {
      const i = run.info;
      const box = el('input', { type: 'checkbox', title: 'compare on the curves', 'data-run': i.id });
      box.checked = run.selected;
      box.addEventListener('change', () => { run.selected = box.checked; state.picked = true; state.chartsKey = ''; refreshMetrics().catch(showError); });
      return el('li', { class: i.id === state.focus ? 'focused' : null },
        box, el('span', { class: 'swatch', style: { background: run.color } }),
        el('span', { class: 'run-name', onclick: () => focus(i.id) }, i.id),
        el('div', { class: 'run-meta' }, i.kind + (i.env ? ' · ' + i.env : '') + ' · ' + (i.pendingBytes > 0 ? 'at least ' : '') + i.episodes + ' episodes'
          + (i.kind === 'train' ? ' · ' + i.updates + ' updates' : '')));
    }));
    $('no-runs').hidden = state.runs.size > 0;
  }

  function focus(id) {
    state.focus = id;
    state.offset = 0;
    state.episodesTotal = -1;
    state.episode = null;
    $('episode-section').hidden = true;
    renderRuns();
    refreshFocused().catch(showError);
  }

  // ---- curves -------------------------------------------------------------------------------------------------

  async function refreshMetrics() {
    let changed = false;
    for (const run of state.runs.values()) {
      if (!run.selected) continue;
      const page = await getJson(api(run.info.id, '/metrics?from=' + run.next));
      if (page.points.length) {
        run.points.push(...page.points);
        changed = true;
      }
      run.next = page.next;
    }
    const key = [...state.runs.values()].filter((r) => r.selected).map((r) => r.info.id + ':' + r.points.length)
      .join(',');
    if (changed || key !== state.chartsKey) {
      state.chartsKey = key;
      drawCharts();
    }
  }

  function drawCharts() {
    const selected = [...state.runs.values()].filter((r) => r.selected);
    const names = [];
    for (const run of selected) {
      for (const p of run.points) {
        for (const name of Object.keys(p.curves)) if (!names.includes(name)) names.push(name);
      }
    }
    $('legend').replaceChildren(...selected.map((r) => el('span', {},
      el('span', { class: 'swatch', style: { background: r.color } }), r.info.id + ' (' + r.points.length + ')')));
    $('charts').replaceChildren(...names.map((name) => chart(name, selected)));
    $('no-curves').hidden = names.length > 0;
  }

  function chart(name, runs) {
    const W = 360; const H = 170; const L = 48; const R = 10; const T = 22; const B = 22;
    const series = runs.map((run) => ({
      run,
      pts: run.points.filter((p) => typeof p.curves[name] === 'number' && Number.isFinite(p.curves[name]))
        .map((p) => [p.index, p.curves[name]]),
    }));
    const all = series.flatMap((s) => s.pts);
    let lo = Math.min(...all.map((p) => p[1]));
    let hi = Math.max(...all.map((p) => p[1]));
    if (!all.length) { lo = 0; hi = 1; }
    if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
    const xmax = Math.max(1, ...all.map((p) => p[0]));
    const x = (i) => L + (W - L - R) * i / xmax;
    const y = (v) => H - B - (H - T - B) * (v - lo) / (hi - lo);
    const root = sv('svg', { width: W, height: H, role: 'img', 'data-curve': name, 'data-points': all.length });
    root.append(sv('title', {}, name));
    root.append(sv('text', { x: L, y: 14, class: 'title' }, name));
    root.append(sv('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#999' }));
    root.append(sv('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#999' }));
    root.append(sv('text', { x: 2, y: T + 8 }, fmt(hi)));
    root.append(sv('text', { x: 2, y: H - B }, fmt(lo)));
    root.append(sv('text', { x: W - R - 70, y: H - 6 }, 'update ' + xmax));
    for (const s of series) {
      if (!s.pts.length) continue;
      const pts = s.pts.map((p) => x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1)).join(' ');
      root.append(sv('polyline', { fill: 'none', stroke: s.run.color, 'stroke-width': 1.5, points: pts,
        'data-run': s.run.info.id }));
      const last = s.pts[s.pts.length - 1];
      root.append(sv('circle', { cx: x(last[0]), cy: y(last[1]), r: 2.5, fill: s.run.color }));
    }
    const cursor = sv('line', { x1: 0, y1: T, x2: 0, y2: H - B, stroke: '#bbb', visibility: 'hidden' });
    const readout = sv('text', { x: L + 4, y: T + 10 }, '');
    root.append(cursor, readout);
    root.addEventListener('mousemove', (ev) => {
      const box = root.getBoundingClientRect();
      const i = Math.round((ev.clientX - box.left - L) / (W - L - R) * xmax);
      if (i < 0 || i > xmax) return;
      cursor.setAttribute('x1', x(i)); cursor.setAttribute('x2', x(i)); cursor.setAttribute('visibility', 'visible');
      readout.textContent = 'update ' + i + ': ' + series.map((s) => {
        const p = s.pts.find((q) => q[0] === i);
        return p ? fmt(p[1]) : '–';
      }).join(' / ');
    });
    root.addEventListener('mouseleave', () => { cursor.setAttribute('visibility', 'hidden'); readout.textContent = ''; });
    return el('div', { class: 'chart' }, root);
  }

  // ---- the focused run ----------------------------------------------------------------------------------------

  async function refreshFocused() {
    if (!state.focus) return;
    const o = await getJson(api(state.focus));
    renderOverview(o);
    if (o.episodes.total !== state.episodesTotal) {
      state.episodesTotal = o.episodes.total;
      renderExamples(o.episodes.examples);
      await loadEpisodes();
    }
  }

  function card(value, label) {
    return el('div', { class: 'card' }, el('b', {}, value), el('span', {}, label));
  }

  function table(head, rows, attrs) {
    return el('table', Object.assign({ class: 'grid' }, attrs || {}),
      el('thead', {}, el('tr', {}, head.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c))))));
  }

  function renderOverview(o) {
    const i = o.run; const e = o.episodes; const s = o.summary;
    $('overview-title').textContent = 'Run ' + i.id;
    const cards = [card(e.total, 'episodes'), card(fmt(e.successRate), 'success rate'),
      card(fmt(e.meanReturn), 'mean return'), card(e.completed, 'completed'), card(e.truncated, 'truncated'),
      card(e.failed, 'failed')];
    if (i.kind === 'train') cards.push(card(i.updates, 'updates'));
    if (s) {
      cards.push(card(fmt(s.turnsPerSecond), 'turns/s'), card(fmt(s.wallSeconds), 'wall seconds'),
        card(fmt(s.meanShapedReturn), 'mean shaped return'));
    }
    const parts = [
      el('p', { class: 'hint' }, i.kind + (i.env ? ' on ' + i.env : '') + ' · ' + i.path + ' ',
        i.hasReport ? el('a', { href: '/runs/' + encodeURIComponent(i.id) + '/report.html', target: '_blank' },
          'offline report') : null),
      el('div', { class: 'cards' }, cards),
    ];
    const components = s && s.rewardComponents ? Object.entries(s.rewardComponents) : [];
    if (components.length) {
      parts.push(el('h3', {}, 'Reward components (mean raw sum per episode)'),
        table(['component', 'mean'], components.map(([k, v]) => [k, fmt(v)])));
    }
    parts.push(el('h3', {}, 'Failures by kind'));
    parts.push(e.failures.length
      ? table(['kind', 'count', 'example'], e.failures.map((f) => [f.kind, f.count, el('pre', {}, f.example)]),
        { id: 'failures' })
      : el('p', { class: 'hint' }, 'No failed episodes.'));
    if (o.evaluations.length) {
      parts.push(el('h3', {}, 'Held-out evaluations'),
        table(['when', 'episodes', 'success'], o.evaluations.map((v) => [v.evaluation, v.episodes, fmt(v.success)])));
    }
    if (o.config) parts.push(el('details', {}, el('summary', {}, 'Configuration'), el('pre', {}, o.config)));
    $('overview').replaceChildren(...parts);
  }

  // ---- the episode browser ------------------------------------------------------------------------------------

  function renderExamples(x) {
    const links = [['last success', x.lastSuccess], ['last unsuccessful', x.lastUnsuccessful],
      ['last failed', x.lastFailed]].filter(([, i]) => i >= 0)
      .map(([label, i]) => el('a', { onclick: () => showEpisode(i).catch(showError), 'data-index': i }, label));
    $('examples').replaceChildren(...(links.length ? ['Examples: ', ...links] : []));
  }

  async function loadEpisodes() {
    if (!state.focus) return;
    const q = '?filter=' + $('filter').value + '&order=' + $('order').value + '&offset=' + state.offset
      + '&limit=' + PAGE;
    const page = await getJson(api(state.focus, '/episodes' + q));
    $('episodes').tBodies[0].replaceChildren(...page.rows.map((r) => el('tr', {
      'data-index': r.index, class: r.index === state.episode ? 'selected' : null,
      onclick: () => showEpisode(r.index).catch(showError),
    }, el('td', {}, r.index), el('td', {}, r.id), el('td', { class: r.status === 'failed' ? 'bad' : null }, r.status),
    el('td', { class: r.success ? 'ok' : null }, r.success ? 'yes' : 'no'), el('td', {}, fmt(r.totalReturn)),
    el('td', {}, r.turns), el('td', {}, r.failure || ''))));
    $('page-info').textContent = page.matching === 0 ? 'no episodes'
      : (page.offset + 1) + '–' + (page.offset + page.rows.length) + ' of ' + page.matching;
    $('prev').disabled = page.offset === 0;
    $('next').disabled = page.offset + page.rows.length >= page.matching;
  }

  function message(m) {
    const calls = (m.tool_calls || []).map((c) => {
      const f = c.function || c;
      const args = typeof f.arguments === 'string' ? f.arguments : JSON.stringify(f.arguments);
      return el('pre', {}, '→ ' + f.name + '(' + (args || '') + ')');
    });
    return el('div', { class: 'msg ' + m.role },
      el('div', { class: 'role' }, m.role + (m.name ? ' · ' + m.name : '') + (m.tool_call_id ? ' · ' + m.tool_call_id : '')),
      m.content ? el('pre', {}, m.content) : null, calls);
  }

  function signals(map) {
    const entries = Object.entries(map || {});
    return entries.length ? table(['signal', 'value'], entries.map(([k, v]) => [k, el('pre', {}, JSON.stringify(v))]),
      { class: 'grid signals' }) : el('p', { class: 'hint' }, 'no signals');
  }

  function ledger(entries) {
    return entries.length ? table(['source', 'component', 'raw', 'value'],
      entries.map((l) => [l.source, l.component, fmt(l.raw), fmt(l.value)]), { class: 'grid ledger' })
      : el('p', { class: 'hint' }, 'no ledger entries');
  }

  async function showEpisode(index) {
    const v = await getJson(api(state.focus, '/episodes/' + index));
    state.episode = index;
    for (const tr of $('episodes').tBodies[0].rows) tr.classList.toggle('selected', Number(tr.dataset.index) === index);
    $('episode-title').textContent = 'Episode ' + v.id;
    const parts = [
      el('p', {}, el('span', { class: v.success ? 'ok' : 'bad' }, v.status + (v.success ? ', success' : '')),
        ' · #' + v.index + ' · ' + v.env + ' · agent ' + v.agent + (v.seat ? ' · seat ' + v.seat : '')
        + ' · seed ' + v.seed + ' · return ' + fmt(v.totalReturn) + ' · shaped return ' + fmt(v.shapedReturn)),
    ];
    if (v.failure) parts.push(el('p', { class: 'bad' }, v.failure));
    parts.push(el('details', { open: v.turns.length === 0 }, el('summary', {}, 'Start (' + v.start.length + ' messages)'),
      v.start.map(message), signals(v.startSignals)));
    for (const t of v.turns) {
      const flags = (t.terminated ? ' · terminated' : '') + (t.truncated ? ' · truncated' : '');
      parts.push(el('div', { class: 'turn', 'data-turn': t.index },
        el('div', { class: 'turn-head' }, 'Turn ' + t.index + ' · env reward ' + fmt(t.reward) + ' · shaped reward '
          + fmt(t.shapedReward) + flags + ' · agent ' + t.agentMillis + ' ms, env ' + t.envMillis + ' ms'),
        el('div', { class: 'cols' },
          el('div', {}, el('h3', {}, 'Messages'), message(t.action), t.observation.map(message)),
          el('div', {}, el('h3', {}, 'Signals'), signals(t.signals), el('h3', {}, 'Ledger'), ledger(t.ledger)))));
    }
    if (v.otherLedger.length) parts.push(el('h3', {}, 'Ledger entries at no played turn'), ledger(v.otherLedger));
    $('episode').replaceChildren(...parts);
    $('episode-section').hidden = false;
  }

  // ---- the loop -----------------------------------------------------------------------------------------------

  function showError(e) {
    const s = $('status');
    s.className = 'status down';
    s.textContent = 'not updating: ' + e.message;
  }

  async function tick() {
    try {
      await refreshRuns();
      await refreshMetrics();
      await refreshFocused();
      const s = $('status');
      s.className = 'status live';
      s.textContent = 'live · updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      showError(e);
    }
    setTimeout(tick, state.poll);
  }

  function onPageChange(reset) {
    if (reset) state.offset = 0;
    loadEpisodes().catch(showError);
  }

  async function main() {
    $('filter').addEventListener('change', () => onPageChange(true));
    $('order').addEventListener('change', () => onPageChange(true));
    $('prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); onPageChange(false); });
    $('next').addEventListener('click', () => { state.offset += PAGE; onPageChange(false); });
    if (!state.poll) {
      try { state.poll = (await getJson('/api/settings')).pollMillis; } catch (e) { state.poll = 1000; }
    }
    tick();
  }

  main();
})();
