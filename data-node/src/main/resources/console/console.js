// Strata's web console: plain JavaScript over the node's own HTTP API, no build step.
'use strict';
const $ = (id) => document.getElementById(id);
const state = { collection: null, text: '', pages: [], next: null };
const TIER_COLOURS = { index: '#2a9d8f', expression: '#457b9d', wasm_udf: '#e9c46a', python_udf: '#e76f51' };

$('token').value = localStorage.getItem('strata.token') || '';
$('token').addEventListener('change', () => { localStorage.setItem('strata.token', $('token').value); refresh(); });

async function api(method, path, body, contentType) {
  const headers = {};
  if ($('token').value) headers['Authorization'] = 'Bearer ' + $('token').value;
  if (contentType) headers['Content-Type'] = contentType;
  const r = await fetch(path, { method, headers, body });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { error: { message: text } }; }
  return { status: r.status, json };
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

async function refresh() {
  const h = await api('GET', '/health');
  $('health').textContent = 'node: ' + (h.json.status || h.status);
  const list = $('collections');
  const c = await api('GET', '/collections');
  list.replaceChildren();
  if (c.status !== 200) { list.append(el('li', {}, c.json.error ? c.json.error.message : 'HTTP ' + c.status)); return; }
  for (const name of c.json.collections) {
    const d = await api('GET', '/collections/' + encodeURIComponent(name));
    const fields = d.status === 200 ? Object.keys(d.json.fields).join(', ') : '';
    const li = el('li', { 'data-collection': name }, el('b', {}, name), ' ', (d.json.documents ?? '?') + ' docs',
      el('div', { class: 'fields' }, fields));
    li.addEventListener('click', () => pick(name));
    if (name === state.collection) li.classList.add('selected');
    list.append(li);
  }
  if (!state.collection && c.json.collections.length) pick(c.json.collections[0]);
  const m = await api('GET', '/udfs');
  const mods = $('modules');
  mods.replaceChildren();
  for (const mod of (m.json.modules || [])) {
    const fns = (mod.functions || []).map(f => f.name + ' ' + f.signature).join('\n');
    mods.append(el('li', { 'data-module': mod.name }, el('b', {}, mod.name), ' ' + mod.tier + (mod.version ? ' v' + mod.version : ''),
      el('div', { class: 'functions' }, fns)));
  }
}

function pick(name) {
  state.collection = name;
  $('collection-name').textContent = name;
  for (const li of $('collections').children) li.classList.toggle('selected', li.dataset.collection === name);
}

// A query error: the message, the query line it is on, and a caret under the offending text.
function showError(err, text) {
  const box = $('error');
  let s = err.message || 'error';
  if (err.line) {
    const line = (text.split('\n')[err.line - 1]) || '';
    const before = Array.from(line).slice(0, Math.max(0, err.column - 1)).join('');
    s += '\n\n' + line + '\n' + before.replace(/[^\t]/g, ' ') + '^';
  }
  box.textContent = (err.code ? err.code + ': ' : '') + s;
  box.hidden = false;
}

async function run(cursor) {
  $('error').hidden = true;
  if (!state.collection) { showError({ message: 'pick a collection first' }, ''); return; }
  const params = new URLSearchParams();
  if (cursor) params.set('cursor', cursor); else params.set('q', state.text);
  if ($('profile').checked) { params.set('explain', 'true'); params.set('profile', 'true'); }
  const r = await api('GET', '/collections/' + encodeURIComponent(state.collection) + '/query?' + params);
  if (r.status !== 200) {
    showError(r.json.error || { message: 'HTTP ' + r.status }, state.text);
    $('summary').textContent = ''; $('warnings').textContent = '';
    table([], false); picture(null, null); $('next').disabled = true;
    return;
  }
  state.next = r.json.next || null;
  $('next').disabled = !state.next;
  $('first').disabled = state.pages.length <= 1;
  $('page').textContent = 'page ' + state.pages.length;
  const rows = r.json.groups || r.json.hits || [];
  $('summary').textContent = r.json.total + ' matched' + (r.json.groups ? ', ' + r.json.total_groups + ' groups' : '')
    + ', ' + rows.length + ' shown, ' + r.json.took_ms + ' ms';
  $('warnings').textContent = (r.json.warnings || []).join('\n');
  table(rows, !!r.json.groups);
  picture(r.json.explain, r.json.profile);
}

function cell(v) { return v === undefined ? '' : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v); }

function table(rows, grouped) {
  const cols = grouped ? [] : ['_id', '_score'];
  for (const row of rows) {
    const src = grouped ? row : Object.assign({}, row._source || {}, row.fields || {});
    for (const k of Object.keys(src)) if (!cols.includes(k)) cols.push(k);
  }
  const thead = $('hits').tHead, tbody = $('hits').tBodies[0];
  thead.replaceChildren(el('tr', {}, ...cols.map(c => el('th', {}, c))));
  tbody.replaceChildren(...rows.map(row => {
    const src = grouped ? row : Object.assign({ _id: row._id, _score: row._score }, row._source || {}, row.fields || {});
    return el('tr', {}, ...cols.map(c => el('td', { title: cell(src[c]) }, cell(src[c]))));
  }));
}

// The plan as a picture: one row per conjunct, coloured by tier, with bars for its cost per row,
// the share of rows it kept and the time it took in this run (each bar scaled to the largest).
function picture(explain, profile) {
  const box = $('profile-picture');
  box.replaceChildren();
  if (!explain) { box.textContent = 'run with "explain and profile" to see the plan'; return; }
  const rows = explain.clauses.map(c => {
    const cost = c.cost_ns_per_row ? (c.cost_ns_per_row.this_run ?? c.cost_ns_per_row.measured ?? c.cost_ns_per_row.static ?? 0) : 0;
    const kept = c.selectivity ? (c.selectivity.actual ?? c.selectivity.estimated ?? 0) : (explain.documents ? c.actual / explain.documents : 0);
    const ms = c.input != null ? cost * c.input / 1e6 : (profile ? profile.index_ms : 0);
    return { label: (c.position != null ? '#' + c.position + ' ' : '') + c.tier + ': ' + c.clause, tier: c.tier, cost, kept, ms };
  });
  const maxCost = Math.max(1e-9, ...rows.map(r => r.cost)), maxMs = Math.max(1e-9, ...rows.map(r => r.ms));
  const W = 760, rowH = 58, barW = 180, NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('width', W); svg.setAttribute('height', 30 + rows.length * rowH);
  svg.setAttribute('data-testid', 'plan-svg');
  const text = (x, y, s, attrs) => { const t = document.createElementNS(NS, 'text'); t.setAttribute('x', x); t.setAttribute('y', y);
    for (const [k, v] of Object.entries(attrs || {})) t.setAttribute(k, v); t.textContent = s; svg.append(t); };
  ['cost ns/row', 'rows kept', 'time ms'].forEach((h, i) => text(200 + i * (barW + 10), 16, h, { 'font-weight': 'bold' }));
  rows.forEach((r, i) => {
    const y = 30 + i * rowH;
    text(0, y + 14, r.label.length > 100 ? r.label.slice(0, 97) + '...' : r.label);
    [[r.cost / maxCost, r.cost.toFixed(1), 'cost'], [r.kept, (100 * r.kept).toFixed(1) + '%', 'kept'],
     [r.ms / maxMs, r.ms.toFixed(2), 'time']].forEach(([f, label, what], j) => {
      const rect = document.createElementNS(NS, 'rect');
      const x = 200 + j * (barW + 10);
      rect.setAttribute('x', x); rect.setAttribute('y', y + 22);
      rect.setAttribute('width', Math.max(1, Math.min(1, f) * barW)); rect.setAttribute('height', 16);
      rect.setAttribute('fill', TIER_COLOURS[r.tier] || '#888');
      rect.setAttribute('data-tier', r.tier); rect.setAttribute('data-measure', what);
      svg.append(rect);
      text(x + 4, y + 52, label);
    });
  });
  box.append(svg);
  if (profile) box.append(el('div', {}, 'execute ' + profile.execute_ms + ' ms; tiers ' + JSON.stringify(profile.tiers_ms)));
}

$('query-form').addEventListener('submit', (e) => {
  e.preventDefault();
  state.text = $('query').value;
  state.pages = [null];
  run(null);
});
$('next').addEventListener('click', () => { state.pages.push(state.next); run(state.next); });
$('first').addEventListener('click', () => { state.pages = [null]; run(null); });

// Registering a module: the file as text (.wat, .py) or base64 (.wasm), signatures as NAME = SIGNATURE lines.
$('register').addEventListener('submit', async (e) => {
  e.preventDefault();
  const file = $('reg-file').files[0];
  const format = file.name.endsWith('.wasm') ? 'wasm' : file.name.endsWith('.py') ? 'python' : 'wat';
  const body = { format };
  if (format === 'wasm') {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    bytes.forEach(b => bin += String.fromCharCode(b));
    body.content_base64 = btoa(bin);
  } else {
    body.content = await file.text();
  }
  const sigs = {};
  for (const line of $('reg-signatures').value.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) sigs[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  if (Object.keys(sigs).length) body.signatures = sigs;
  const r = await api('PUT', '/udfs/' + $('reg-tier').value + '/' + encodeURIComponent($('reg-name').value), JSON.stringify(body),
    'application/json');
  $('reg-result').textContent = r.status < 300 ? 'registered ' + r.json.name + ' (' + r.json.sha256.slice(0, 12) + ')'
    : (r.json.error ? r.json.error.code + ': ' + r.json.error.message : 'HTTP ' + r.status);
  refresh();
});

refresh();
