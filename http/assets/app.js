// slant web page. Plain JavaScript, no dependencies, no inline script.
// Article text and titles are untrusted: every piece of them reaches the
// page through textContent or a text node, never through innerHTML.
'use strict';

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // el builds an element; string and number children become text nodes.
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    }
    return e;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // safeHref returns a link target only for http(s) URLs: a stored URL is
  // untrusted and must not become javascript: or data:.
  function safeHref(u) {
    try {
      const p = new URL(u);
      return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
    } catch (e) { return null; }
  }

  function status(msg, isError) {
    const s = $('#status');
    s.textContent = msg || '';
    s.classList.toggle('error', !!isError);
  }

  class HTTPError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  // api calls the JSON API; the login cookie, when there is one, goes
  // along on its own (same origin).
  async function api(path, opts) {
    const res = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, opts || {}));
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const err = body && body.error ? body.error : { code: 'http', message: 'HTTP ' + res.status };
      if (res.status === 401) { location.hash = '#/login'; }
      throw new HTTPError(res.status, err.code, err.message);
    }
    return body;
  }

  // Definitions of techniques and roles, loaded once.
  let taxonomy = { techniques: [], roles: [], analyzers: [] };
  const techDef = new Map();
  const labelDef = new Map(); // narratives, frames, genres, fine roles
  const techColor = new Map();
  async function loadTaxonomy() {
    try {
      taxonomy = await api('/api/v1/taxonomy');
    } catch (e) { return; }
    taxonomy.techniques.forEach((t, i) => { techDef.set(t.name, t.definition); techColor.set(t.name, i % 12); });
    for (const d of [].concat(taxonomy.narratives || [], taxonomy.frames || [], taxonomy.genres || [], taxonomy.roles || [])) labelDef.set(d.name, d.definition);
    const sel = $('#library-form select[name=technique]');
    for (const t of taxonomy.techniques) sel.append(el('option', { value: t.name, text: t.name }));
  }
  function colorOf(tech) {
    if (!techColor.has(tech)) techColor.set(tech, techColor.size % 12);
    return techColor.get(tech);
  }
  const pct = (x) => Math.round((x || 0) * 100) + '%';

  // ---------- report rendering ----------

  const KINDS = [
    ['technique', 'Techniques'], ['entity', 'Entities'], ['quote', 'Quotes'], ['narrative', 'Narratives'], ['all', 'All'],
  ];

  // annotations flattens a report into ranges over code points.
  function annotations(rep) {
    const out = [];
    for (const t of rep.techniques || []) {
      out.push({ kind: 'technique', cs: t.cp_start, ce: t.cp_end, label: t.technique, score: t.score,
        cls: 'a-tech c' + colorOf(t.technique), def: techDef.get(t.technique) || '' });
    }
    for (const e of rep.entities || []) {
      const role = e.role ? e.role.main : '';
      for (const m of e.mentions || []) {
        out.push({ kind: 'entity', cs: m.cp_start, ce: m.cp_end, label: e.name, entityKind: e.kind, role: e.role,
          cls: 'a-ent role-' + (role ? role.toLowerCase() : 'none') });
      }
    }
    for (const q of rep.quotes || []) {
      out.push({ kind: 'quote', cs: q.cp_start, ce: q.cp_end, label: q.kind + ' quote', quote: q, cls: 'a-quote q-' + q.kind });
      if (q.speaker_span && q.speaker_span.end > q.speaker_span.start) {
        out.push({ kind: 'quote', cs: q.speaker_span.cp_start, ce: q.speaker_span.cp_end, label: 'speaker', quote: q, cls: 'a-speaker' });
      }
    }
    (rep.narratives || []).forEach((n, i) => {
      for (const ev of n.evidence || []) {
        out.push({ kind: 'narrative', cs: ev.cp_start, ce: ev.cp_end, label: n.subnarrative || n.narrative, narrative: n, score: n.score,
          cls: 'a-narr', narrIndex: i });
      }
    });
    return out.filter((a) => a.ce > a.cs);
  }

  // describe builds the explanation of one annotation for the tip.
  function describe(a) {
    switch (a.kind) {
      case 'technique':
        return el('div', { class: 'ann' }, el('strong', { class: 'sw ' + a.cls, text: a.label }),
          el('span', { class: 'conf', text: ' confidence ' + pct(a.score) }),
          a.def ? el('p', { text: a.def }) : null);
      case 'entity': {
        const r = a.role;
        return el('div', { class: 'ann' }, el('strong', { class: 'sw ' + a.cls, text: a.label }),
          el('span', { class: 'conf', text: ' ' + (a.entityKind || 'entity') }),
          el('p', { text: r ? r.main + (r.fine && r.fine.length ? ' — ' + r.fine.join(', ') : '') + ' (' + pct(r.score) + ')' : 'no role assessed' }));
      }
      case 'quote': {
        const q = a.quote;
        return el('div', { class: 'ann' }, el('strong', { class: 'sw ' + a.cls, text: q.kind + ' quote' }),
          el('p', { text: 'Speaker: ' + (q.speaker || (q.resolved ? 'named in the text' : 'unresolved')) + (q.cue ? ' · cue "' + q.cue + '"' : '') }));
      }
      case 'narrative': {
        const n = a.narrative;
        const def = labelDef.get(n.subnarrative) || labelDef.get(n.narrative);
        return el('div', { class: 'ann' }, el('strong', { class: 'sw a-narr', text: 'Narrative evidence' }),
          el('span', { class: 'conf', text: ' confidence ' + pct(a.score) }),
          el('p', { text: n.narrative }),
          n.subnarrative ? el('p', { class: 'sub', text: n.subnarrative }) : null,
          def ? el('p', { class: 'def', text: def }) : null);
      }
    }
    return el('div');
  }

  const tip = () => $('#tip');
  function showTip(mark, anns) {
    const t = tip();
    t.replaceChildren(...anns.map(describe));
    t.hidden = false;
    const r = mark.getBoundingClientRect();
    const top = window.scrollY + r.bottom + 6;
    let left = window.scrollX + r.left;
    left = Math.max(8, Math.min(left, window.scrollX + document.documentElement.clientWidth - t.offsetWidth - 8));
    t.style.top = top + 'px';
    t.style.left = left + 'px';
  }
  function hideTip() { tip().hidden = true; }

  // renderText splits the text at every annotation boundary and wraps the
  // annotated pieces in <mark>; each piece is a text node.
  function renderText(box, chars, anns) {
    box.replaceChildren();
    const cuts = new Set([0, chars.length]);
    for (const a of anns) { cuts.add(Math.max(0, Math.min(a.cs, chars.length))); cuts.add(Math.max(0, Math.min(a.ce, chars.length))); }
    const pts = Array.from(cuts).sort((x, y) => x - y);
    const byStart = anns.slice().sort((x, y) => x.cs - y.cs);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < pts.length; i++) {
      const s = pts[i], e = pts[i + 1];
      const piece = chars.slice(s, e).join('');
      const cover = [];
      for (const a of byStart) {
        if (a.cs > s) break;
        if (a.ce >= e) cover.push(a);
      }
      if (cover.length === 0) { frag.append(document.createTextNode(piece)); continue; }
      // The narrowest annotation decides the colour: it is the most specific.
      cover.sort((x, y) => (x.ce - x.cs) - (y.ce - y.cs));
      const m = el('mark', { class: cover[0].cls + (cover.length > 1 ? ' multi' : ''), tabindex: 0,
        dataset: { kind: cover[0].kind, label: cover[0].label } }, piece);
      // The tip lists the most confident findings first.
      const byScore = cover.slice().sort((x, y) => (y.score || 0) - (x.score || 0));
      m.addEventListener('mouseenter', () => showTip(m, byScore));
      m.addEventListener('focus', () => showTip(m, byScore));
      m.addEventListener('click', (ev) => { ev.stopPropagation(); showTip(m, byScore); });
      frag.append(m);
    }
    box.append(frag);
  }

  function chip(text, cls, title) { return el('span', { class: 'chip ' + (cls || ''), title: title || null, text }); }

  // renderReport shows one analysed article with its annotations and the
  // per-kind side lists.
  function renderReport(root, res) {
    const rep = res.report;
    const art = rep.article;
    const chars = Array.from(art.text || '');
    const anns = annotations(rep);
    const meta = el('p', { class: 'meta' });
    if (art.outlet) meta.append(el('a', { href: '#/outlet/' + encodeURIComponent(art.outlet), text: art.outlet }), ' · ');
    if (art.published && !art.published.startsWith('0001')) meta.append(art.published.slice(0, 10), ' · ');
    const href = art.url ? safeHref(art.url) : null;
    if (href) meta.append(el('a', { href, rel: 'noopener noreferrer', target: '_blank', text: art.url }), ' · ');
    meta.append(res.stored ? 'stored as ' + res.id : 'not stored');

    const labels = el('div', { class: 'labels' });
    if (rep.genre) labels.append(chip('genre: ' + rep.genre.label + ' ' + pct(rep.genre.score), 'genre', labelDef.get(rep.genre.label)));
    for (const f of rep.frames || []) labels.append(chip('frame: ' + f.label.replace(/_/g, ' ') + ' ' + pct(f.score), 'frame', labelDef.get(f.label)));
    if (!rep.genre && !(rep.frames || []).length) labels.append(chip('no genre or frame model in this build', 'muted'));

    const counts = {};
    for (const a of anns) counts[a.kind] = (counts[a.kind] || 0) + 1;

    // At a glance: how much persuasion, of which kinds, who is cast how.
    const glance = el('ul', { class: 'glance' });
    const words = (art.text || '').split(/\s+/).filter(Boolean).length;
    const tcount = new Map();
    for (const t of rep.techniques || []) tcount.set(t.technique, (tcount.get(t.technique) || 0) + 1);
    if (tcount.size) {
      const top = Array.from(tcount).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([t, n]) => t.replace(/_/g, ' ') + ' ×' + n);
      glance.append(el('li', {}, el('strong', { text: (rep.techniques || []).length + ' technique spans' }),
        ' (' + (words ? (1000 * (rep.techniques || []).length / words).toFixed(1) : '0') + ' per 1,000 words) of ' + tcount.size + ' kinds; most: ' + top.join(', ')));
    }
    const cast = { Antagonist: [], Protagonist: [], Innocent: [] };
    for (const e of rep.entities || []) if (e.role && cast[e.role.main]) cast[e.role.main].push(e.name);
    for (const [role, names] of Object.entries(cast)) {
      if (names.length) glance.append(el('li', {}, el('span', { class: 'sw a-ent role-' + role.toLowerCase(), text: role + 's' }), ': ' + names.slice(0, 6).join(', ') + (names.length > 6 ? ' …' : '')));
    }
    if ((rep.narratives || []).length) {
      const narrs = Array.from(new Set(rep.narratives.map((n) => n.narrative)));
      glance.append(el('li', {}, el('strong', { text: 'Narratives: ' }), narrs.slice(0, 3).join('; ') + (narrs.length > 3 ? ' …' : '')));
    }
    const qs = (rep.quotes || []).filter((q) => q.kind !== 'scare');
    if (qs.length) {
      const unresolved = qs.filter((q) => !q.speaker).length;
      glance.append(el('li', {}, el('strong', { text: qs.length + ' quotes' }), unresolved ? ', ' + unresolved + ' without a named speaker' : ', every speaker named'));
    }
    const textBox = el('div', { class: 'article-text', id: 'article-text' });
    const bar = el('div', { class: 'kinds', role: 'toolbar', 'aria-label': 'Show annotations' });
    let current = 'technique';
    const show = (kind) => {
      current = kind;
      hideTip();
      for (const b of $$('button', bar)) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
      renderText(textBox, chars, kind === 'all' ? anns : anns.filter((a) => a.kind === kind));
    };
    for (const [k, name] of KINDS) {
      const n = k === 'all' ? anns.length : (counts[k] || 0);
      bar.append(el('button', { type: 'button', dataset: { kind: k }, onclick: () => show(k) }, name + ' ', el('span', { class: 'n', text: String(n) })));
    }

    const side = el('aside', { class: 'side' });
    // Techniques: counts per label with the definition.
    const techCount = new Map();
    for (const t of rep.techniques || []) techCount.set(t.technique, (techCount.get(t.technique) || 0) + 1);
    for (const p of rep.paragraph_labels || []) for (const t of p.techniques || []) if (!(rep.techniques || []).length) techCount.set(t, (techCount.get(t) || 0) + 1);
    const techList = el('ul', { class: 'plain' });
    for (const [t, n] of Array.from(techCount).sort((a, b) => b[1] - a[1])) {
      techList.append(el('li', {}, el('span', { class: 'sw a-tech c' + colorOf(t), text: t }), ' ×' + n,
        techDef.get(t) ? el('div', { class: 'def', text: techDef.get(t) }) : null));
    }
    side.append(el('h3', { text: 'Techniques' }), techCount.size ? techList : el('p', { class: 'muted', text: 'none found' }));

    // Subnarratives are grouped under their narrative, each with the
    // sentences that support it.
    const narrList = el('ul', { class: 'plain' });
    const groups = new Map();
    for (const n of rep.narratives || []) {
      if (!groups.has(n.narrative)) groups.set(n.narrative, []);
      groups.get(n.narrative).push(n);
    }
    for (const [name, subs] of groups) {
      const best = Math.max(...subs.map((n) => n.score || 0));
      const inner = el('ul', { class: 'plain subs' });
      for (const n of subs) {
        const ev = el('ul', { class: 'evidence' });
        for (const s of n.evidence || []) ev.append(el('li', { text: chars.slice(s.cp_start, s.cp_end).join('') }));
        const sub = n.subnarrative && n.subnarrative !== name ? n.subnarrative.slice(name.length).replace(/^:\s*/, '') : '';
        inner.append(el('li', {}, sub ? el('div', { class: 'sub', text: sub + ' ' + pct(n.score) }) : null, ev));
      }
      narrList.append(el('li', {}, el('strong', { text: name }), ' ' + pct(best), inner));
    }
    side.append(el('h3', { text: 'Narratives' }), (rep.narratives || []).length ? narrList : el('p', { class: 'muted', text: 'none found' }));

    const entList = el('ul', { class: 'plain' });
    for (const e of rep.entities || []) {
      const role = e.role ? e.role.main : '';
      entList.append(el('li', {}, el('span', { class: 'sw a-ent role-' + (role ? role.toLowerCase() : 'none'), text: e.name }),
        ' ' + (role || e.kind) + (e.role && e.role.fine && e.role.fine.length ? ' (' + e.role.fine.join(', ') + ')' : '') + ' ×' + (e.mentions || []).length));
    }
    side.append(el('h3', { text: 'Entities' }), (rep.entities || []).length ? entList : el('p', { class: 'muted', text: 'none found' }));

    const quoteList = el('ul', { class: 'plain quotes' });
    for (const q of rep.quotes || []) {
      if (q.kind === 'scare') continue;
      quoteList.append(el('li', {}, el('span', { class: 'speaker', text: (q.speaker || 'unresolved speaker') + ': ' }),
        el('q', { text: q.text })));
    }
    side.append(el('h3', { text: 'Quotes' }), quoteList.childElementCount ? quoteList : el('p', { class: 'muted', text: 'none found' }));

    const legend = el('p', { class: 'legend' }, 'Entities: ',
      el('span', { class: 'sw a-ent role-protagonist', text: 'protagonist' }), ' ',
      el('span', { class: 'sw a-ent role-antagonist', text: 'antagonist' }), ' ',
      el('span', { class: 'sw a-ent role-innocent', text: 'innocent' }), ' ',
      el('span', { class: 'sw a-ent role-none', text: 'no role' }),
      ' · Quotes: ', el('span', { class: 'sw a-quote q-direct', text: 'quote' }), ' ', el('span', { class: 'sw a-speaker', text: 'speaker' }),
      ' · ', el('span', { class: 'sw a-narr', text: 'narrative evidence' }));

    root.replaceChildren(
      el('article', { class: 'report' },
        el('h2', { class: 'title', text: art.title || '(untitled article)' }), meta, labels,
        glance.childElementCount ? glance : null,
        el('p', { class: 'analyzers muted', text: 'Analyzers: ' + ((rep.analyzers || []).join(', ') || 'none') }),
        bar, legend,
        el('div', { class: 'columns' }, textBox, side)));
    show(counts.technique ? 'technique' : (anns.length ? 'all' : 'technique'));
  }

  // ---------- views ----------

  async function analyseSubmit(ev) {
    ev.preventDefault();
    const source = $('.tabs [aria-selected=true]').dataset.source;
    const store = $('#input-store').checked;
    let opts;
    if (source === 'file' && $('#input-file').files.length > 1) {
      runBatch(Array.from($('#input-file').files), store);
      return;
    }
    $('#batch').replaceChildren();
    if (source === 'file') {
      const f = $('#input-file').files[0];
      if (!f) { status('Choose a file first.', true); return; }
      const fd = new FormData();
      fd.append('file', f);
      fd.append('store', String(store));
      opts = { method: 'POST', body: fd };
    } else {
      const body = source === 'url' ? { url: $('#input-url').value.trim(), store } : { text: $('#input-text').value, store };
      if (!(body.url || body.text || '').trim()) { status('Nothing to analyse yet.', true); return; }
      opts = { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', Accept: 'application/json' } };
    }
    const btn = $('#analyse-button');
    btn.disabled = true;
    status('Analysing…');
    try {
      const t0 = performance.now();
      const res = await api('/api/v1/analyze', opts);
      renderReport($('#analyse-report'), res);
      status('Analysed in ' + Math.round(performance.now() - t0) + ' ms.');
    } catch (e) {
      status(e.message, true);
    } finally {
      btn.disabled = false;
    }
  }

  const isHTML = (f) => /\.html?$/i.test(f.name) || f.type === 'text/html';

  // runBatch sends several files as one background job and polls it,
  // listing each result as it arrives.
  async function runBatch(files, store) {
    const box = $('#batch');
    const btn = $('#analyse-button');
    btn.disabled = true;
    try {
      const articles = await Promise.all(files.map(async (f) => (isHTML(f) ? { html: await f.text() } : { text: await f.text() })));
      let job = await api('/api/v1/jobs', { method: 'POST', body: JSON.stringify({ articles, store }),
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' } });
      const list = el('ol', { class: 'batch' });
      box.replaceChildren(el('h2', { text: 'Batch of ' + files.length + ' files' }), list);
      while (true) {
        status('Job ' + job.id + ': ' + job.done + ' of ' + job.total + ' analysed…');
        list.replaceChildren(...(job.results || []).map((r) => {
          const name = files[r.index].name;
          if (r.error) return el('li', { class: 'error' }, name + ': ' + r.error.message);
          const rep = r.report;
          return el('li', {}, el('button', { type: 'button', class: 'link', onclick: () => renderReport($('#analyse-report'), r) }, rep.article.title || name),
            ' — ' + (rep.techniques || []).length + ' technique spans, ' + (rep.narratives || []).length + ' narratives' + (r.stored ? ' · stored' : ''));
        }));
        if (job.status === 'done' || job.status === 'cancelled') break;
        await new Promise((ok) => setTimeout(ok, 400));
        job = await api('/api/v1/jobs/' + encodeURIComponent(job.id));
      }
      status('Job ' + job.id + ' ' + job.status + ': ' + (job.done - job.failed) + ' analysed, ' + job.failed + ' failed.', job.failed > 0);
    } catch (e) {
      status(e.message, true);
    } finally {
      btn.disabled = false;
    }
  }

  function setupAnalyse() {
    $('#analyse-form').addEventListener('submit', analyseSubmit);
    for (const tab of $$('.tabs [role=tab]')) {
      tab.addEventListener('click', () => {
        for (const t of $$('.tabs [role=tab]')) t.setAttribute('aria-selected', String(t === tab));
        for (const p of $$('[data-pane]')) p.hidden = p.dataset.pane !== tab.dataset.source;
      });
    }
  }

  async function showArticle(id) {
    const root = $('#article-report');
    root.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      renderReport(root, await api('/api/v1/articles/' + encodeURIComponent(id)));
      status('');
    } catch (e) { root.replaceChildren(); status(e.message, true); }
  }

  let libraryNext = null;
  async function loadLibrary(url, append) {
    const rows = $('#library-rows');
    try {
      const page = await api(url);
      if (!append) rows.replaceChildren();
      for (const a of page.articles) {
        const date = (a.published && !a.published.startsWith('0001') ? a.published : a.ingested || '').slice(0, 10);
        rows.append(el('tr', {},
          el('td', { text: date }),
          el('td', {}, a.outlet ? el('a', { href: '#/outlet/' + encodeURIComponent(a.outlet), text: a.outlet }) : '—'),
          el('td', {}, el('a', { href: '#/article/' + encodeURIComponent(a.id), text: a.title || a.source || a.id }))));
      }
      if (!rows.childElementCount) rows.append(el('tr', {}, el('td', { colspan: 3, class: 'muted', text: 'No stored articles match. Analyse with "Keep in the library", or run slant ingest.' })));
      libraryNext = page.next || null;
      $('#library-more').hidden = !libraryNext;
      status('');
    } catch (e) { status(e.message, true); }
  }
  function libraryQuery() {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData($('#library-form'))) if (v) p.set(k, v);
    return '/api/v1/articles?' + p.toString();
  }

  async function showStories() {
    const list = $('#stories-list');
    try {
      const page = await api('/api/v1/stories?limit=100');
      list.replaceChildren();
      for (const s of page.stories) {
        list.append(el('li', {}, el('a', { href: '#/story/' + s.id, text: s.title || 'story ' + s.id }),
          el('span', { class: 'muted', text: ' · ' + s.articles + ' article' + (s.articles === 1 ? '' : 's') + ' · ' + (s.voices.join(', ') || 'no outlet') })));
      }
      if (!list.childElementCount) list.append(el('li', { class: 'muted', text: 'No stories yet: store some articles first.' }));
      status('');
    } catch (e) { status(e.message, true); }
  }

  function profileLine(p) {
    if (!p) return el('p', { class: 'muted', text: 'no public profile' });
    const parts = [];
    if (p.name) parts.push(p.name);
    if (p.factuality) parts.push('factuality: ' + p.factuality);
    if (p.bias) parts.push('bias: ' + p.bias);
    if (p.reliability !== undefined && p.reliability !== null) parts.push('reliability: ' + p.reliability.toFixed(2));
    return el('p', { class: 'profile', text: parts.join(' · ') });
  }

  async function showStory(id) {
    const root = $('#story');
    root.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const cmp = await api('/api/v1/stories/' + encodeURIComponent(id) + '/compare');
      const cols = el('div', { class: 'compare' });
      let maxRate = 0;
      for (const o of cmp.outlets) for (const t of o.techniques || []) maxRate = Math.max(maxRate, t.per_1000_words);
      const articleLink = (a) => el('a', { href: '#/article/' + encodeURIComponent(a.id), text: a.title || a.id });
      for (const o of cmp.outlets) {
        const techs = el('ul', { class: 'plain bars' });
        for (const t of o.techniques || []) {
          const bar = el('span', { class: 'bar c' + colorOf(t.technique) });
          bar.style.width = (maxRate ? Math.max(2, 100 * t.per_1000_words / maxRate) : 0) + '%';
          techs.append(el('li', { title: techDef.get(t.technique) || null }, el('span', { class: 'bl', text: t.technique + ' ' + t.per_1000_words.toFixed(1) + ' per 1,000 words' }), bar));
        }
        const arts = el('ul', { class: 'plain' });
        for (const a of cmp.articles.filter((a) => a.outlet === o.outlet && !a.copy_of)) {
          arts.append(el('li', {}, articleLink(a), el('div', { class: 'def', text: a.reason })));
        }
        const spans = el('ul', { class: 'plain' });
        for (const sp of o.top_spans || []) spans.append(el('li', {}, el('span', { class: 'sw a-tech c' + colorOf(sp.technique), text: sp.technique }), ' ', el('q', { text: sp.text })));
        const narrs = el('ul', { class: 'plain' });
        for (const n of o.narratives || []) narrs.append(el('li', { text: (n.subnarrative || n.narrative) + ' ' + pct(n.score) }));
        const roles = el('ul', { class: 'plain' });
        for (const r of cmp.roles || []) {
          const role = r.roles[o.outlet];
          if (role === undefined) continue;
          const main = role ? role.split(' ')[0].toLowerCase() : 'none';
          roles.append(el('li', {}, el('span', { class: 'sw a-ent role-' + main, text: r.entity }), ' ' + (role || 'named, no role')));
        }
        const quotes = el('ul', { class: 'plain quotes' });
        for (const q of (cmp.quotes || []).filter((q) => q.only === o.outlet)) {
          quotes.append(el('li', {}, el('span', { class: 'speaker', text: (q.speaker || 'unresolved') + ': ' }), el('q', { text: q.text })));
        }
        const missing = el('ul', { class: 'plain facts' });
        const gaps = (cmp.facts || []).filter((f) => (f.missing || []).includes(o.outlet));
        for (const f of gaps.slice(0, 8)) {
          missing.append(el('li', {}, el('q', { text: f.text }), el('span', { class: 'def', text: ' — ' + f.outlet + ' (' + (f.kinds || []).join(', ') + ')' })));
        }
        if (gaps.length > 8) missing.append(el('li', { class: 'muted', text: 'and ' + (gaps.length - 8) + ' more' }));
        const sec = (title, list) => [el('h4', { text: title }), list.childElementCount ? list : el('p', { class: 'muted', text: 'none' })];
        cols.append(el('section', { class: 'outlet-col' },
          el('h3', {}, o.outlet ? el('a', { href: '#/outlet/' + encodeURIComponent(o.outlet), text: o.outlet }) : 'unknown outlet'),
          profileLine(o.profile),
          el('p', { class: 'muted', text: o.words + ' words' }),
          sec('Articles', arts), sec('Techniques', techs), sec('Strongest spans', spans),
          sec('Narratives', narrs), sec('Roles of shared entities', roles), sec('Quotes only here', quotes),
          sec('Facts others give, missing here', missing)));
      }
      const copies = cmp.articles.filter((a) => a.copy_of);
      const copyBox = copies.length ? el('section', { class: 'copies' }, el('h3', { text: 'Republished copies (not counted as voices)' }),
        el('ul', { class: 'plain' }, copies.map((a) => el('li', {}, el('strong', { text: (a.outlet || 'unknown outlet') + ': ' }), articleLink(a), el('div', { class: 'def', text: a.reason }))))) : null;
      root.replaceChildren(el('h1', { text: cmp.story.title || 'Story ' + cmp.story.id }),
        el('p', { class: 'muted', text: cmp.story.articles + ' articles, ' + cmp.outlets.length + ' outlets telling it' }), cols, ...(copyBox ? [copyBox] : []));
      status('');
    } catch (e) { root.replaceChildren(); status(e.message, true); }
  }

  async function showOutlet(domain) {
    const root = $('#outlet');
    root.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const o = await api('/api/v1/outlets/' + encodeURIComponent(domain));
      const list = (items) => {
        const ul = el('ul', { class: 'plain' });
        for (const x of items) ul.append(el('li', { text: x.label + ' — ' + x.articles + ' article' + (x.articles === 1 ? '' : 's') }));
        return items.length ? ul : el('p', { class: 'muted', text: 'none' });
      };
      const recent = el('ul', { class: 'plain' });
      for (const a of o.recent) recent.append(el('li', {}, el('a', { href: '#/article/' + encodeURIComponent(a.id), text: a.title || a.id })));
      root.replaceChildren(el('h1', { text: o.domain }), profileLine(o.profile),
        el('p', { class: 'muted', text: o.articles + ' stored articles' }),
        el('h3', { text: 'Techniques' }), list(o.techniques), el('h3', { text: 'Narratives' }), list(o.narratives),
        el('h3', { text: 'Recent articles' }), recent);
      status('');
    } catch (e) { root.replaceChildren(); status(e.message, true); }
  }

  // lineChart draws prevalence per week, one line per outlet, as SVG.
  function lineChart(weeks, series) {
    const W = 640, H = 240, L = 40, R = 10, T = 10, B = 40;
    const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' });
    const x = (i) => L + (weeks.length > 1 ? i * (W - L - R) / (weeks.length - 1) : (W - L - R) / 2);
    const y = (v) => T + (1 - v) * (H - T - B);
    for (const v of [0, 0.5, 1]) {
      s.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }));
      const t = svg('text', { x: L - 4, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }); t.textContent = Math.round(v * 100) + '%'; s.append(t);
    }
    weeks.forEach((w, i) => {
      if (weeks.length > 8 && i % Math.ceil(weeks.length / 8)) return;
      const t = svg('text', { x: x(i), y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }); t.textContent = w; s.append(t);
    });
    if (weeks.length === 1) {
      // One week has no line to draw: compare the outlets as bars.
      const slot = (W - L - R) / Math.max(1, series.length);
      series.forEach((se, k) => {
        const v = se.values[0];
        if (v === null) return;
        const bar = svg('rect', { x: L + k * slot + slot * 0.2, y: y(v), width: slot * 0.6, height: Math.max(1, y(0) - y(v)), class: 's' + (k % 8) });
        const title = svg('title', {}); title.textContent = se.name + ': ' + Math.round(v * 100) + '%'; bar.append(title);
        s.append(bar);
      });
      return s;
    }
    series.forEach((se, k) => {
      const pts = se.values.map((v, i) => v === null ? null : [x(i), y(v)]).filter(Boolean);
      if (pts.length > 1) s.append(svg('polyline', { points: pts.map((p) => p.join(',')).join(' '), class: 'line s' + (k % 8) }));
      for (const p of pts) {
        const c = svg('circle', { cx: p[0], cy: p[1], r: 3.5, class: 'dot s' + (k % 8) });
        const title = svg('title', {}); title.textContent = se.name; c.append(title);
        s.append(c);
      }
    });
    return s;
  }

  async function showTrends() {
    const root = $('#trends');
    root.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
    try {
      const tr = await api('/api/v1/trends');
      root.replaceChildren(el('p', { class: 'muted', text: 'From ' + tr.articles + ' stored articles.' }));
      for (const [kind, title] of [['technique', 'Techniques'], ['narrative', 'Narratives']]) {
        const rows = tr.points.filter((r) => r.kind === kind);
        const labels = Array.from(new Set(rows.map((r) => r.label))).sort();
        const sel = el('select', { 'aria-label': title + ' label' }, labels.map((l) => el('option', { value: l, text: l })));
        const chartBox = el('div', { class: 'chart-box' });
        const legend = el('p', { class: 'legend' });
        const draw = () => {
          const label = sel.value;
          const series = tr.outlets.map((o) => ({ name: o, values: tr.weeks.map((w) => {
            const r = rows.find((r) => r.outlet === o && r.week === w && r.label === label);
            if (r) return r.prevalence;
            // An outlet with articles that week but without the label: 0.
            return tr.points.some((r) => r.outlet === o && r.week === w) ? 0 : null;
          }) }));
          chartBox.replaceChildren(lineChart(tr.weeks, series));
          legend.replaceChildren(...series.map((se, k) => el('span', { class: 'key s' + (k % 8), text: se.name })));
        };
        sel.addEventListener('change', draw);
        const csv = el('a', { class: 'button', href: '/api/v1/trends?format=csv&kind=' + kind, download: 'slant-trends-' + kind + '.csv', text: 'Download CSV' });
        root.append(el('section', { class: 'trend' }, el('h2', { text: title }),
          labels.length ? el('div', { class: 'row' }, sel, csv) : el('p', { class: 'muted', text: 'No ' + title.toLowerCase() + ' found in stored articles yet.' }),
          labels.length ? chartBox : null, labels.length ? legend : null));
        if (labels.length) draw();
      }
      status('');
    } catch (e) { root.replaceChildren(); status(e.message, true); }
  }

  // ---------- routing ----------

  function route() {
    hideTip();
    const parts = (location.hash || '#/analyse').slice(2).split('/');
    const view = parts[0] || 'analyse';
    const arg = decodeURIComponent(parts.slice(1).join('/'));
    const known = ['login', 'analyse', 'article', 'library', 'stories', 'story', 'outlet', 'trends'];
    const v = known.includes(view) ? view : 'analyse';
    for (const sec of $$('.view')) sec.hidden = sec.id !== 'view-' + v;
    const navView = { article: 'library', story: 'stories', outlet: 'library' }[v] || v;
    for (const a of $$('nav a')) a.classList.toggle('active', a.dataset.view === navView);
    if (v !== 'login') status('');
    if (v === 'login' && new URLSearchParams(location.search).get('login') === 'failed') status('That token is not right.', true);
    if (v === 'article') showArticle(arg);
    if (v === 'library') loadLibrary(libraryQuery(), false);
    if (v === 'stories') showStories();
    if (v === 'story') showStory(arg);
    if (v === 'outlet') showOutlet(arg);
    if (v === 'trends') showTrends();
  }

  document.addEventListener('DOMContentLoaded', () => {
    setupAnalyse();
    $('#library-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadLibrary(libraryQuery(), false); });
    $('#library-more').addEventListener('click', () => { if (libraryNext) loadLibrary(libraryNext, true); });
    document.addEventListener('click', (ev) => { if (!ev.target.closest('mark') && !ev.target.closest('#tip')) hideTip(); });
    document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') hideTip(); });
    window.addEventListener('hashchange', route);
    loadTaxonomy().then(route);
  });
})();
