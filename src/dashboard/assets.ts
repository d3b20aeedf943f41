/**
 * The dashboard's stylesheet and its one script, served by the tool itself (no CDN, nothing from the network).
 * The script sorts and filters tables marked `data-table` and reloads the page when the state database changes
 * (server-sent events from `/events`); filter and sort choices live in the URL hash so a reload keeps them.
 */

export const APP_CSS = `:root{color-scheme:light;--fg:#1a202c;--muted:#4a5568;--line:#e2e8f0}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:var(--fg)}
header{display:flex;gap:1.5em;align-items:center;padding:.6em 1.5em;border-bottom:1px solid var(--line);background:#f7fafc}
nav a{margin-right:1em;color:#2b6cb0;text-decoration:none}nav a[aria-current=page]{font-weight:700;text-decoration:underline}
#live{margin-left:auto;font-size:12px;color:var(--muted)}main{max-width:1300px;margin:0 auto;padding:0 1.5em 3em}
h1{font-size:1.5em}h2{margin-top:1.8em;border-bottom:1px solid var(--line)}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid var(--line);border-radius:6px;padding:.7em 1.1em;min-width:9em}
.card b{display:block;font-size:1.6em}.card.not-started b{color:var(--muted);font-size:1em;padding:.45em 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:5px 7px;text-align:left;vertical-align:top}
th{background:#f7fafc;position:sticky;top:0}th button{all:unset;cursor:pointer;font-weight:700}th button::after{content:" ↕";color:var(--muted)}
.progress{display:flex;height:14px;width:100%;min-width:220px;border:1px solid var(--line);border-radius:3px;overflow:hidden}
.progress span{display:block;height:100%}.legend{display:flex;flex-wrap:wrap;gap:1em;list-style:none;padding:0}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.sev-critical{color:#9b2c2c;font-weight:700}.sev-high{color:#b7410e;font-weight:700}
.filters{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.blocked li{margin:.2em 0}.ok{color:#276749}.bad{color:#9b2c2c}small,.muted{color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3em 1.2em}dt{font-weight:600}dd{margin:0}
svg text{font-size:12px;fill:#2d3748}figure{margin:0}figcaption{font-weight:600;margin-bottom:.4em}
code,pre{font-size:12px}pre{white-space:pre-wrap;background:#f7fafc;padding:.6em}`;

export const APP_JS = `(() => {
  const hash = () => new URLSearchParams(location.hash.slice(1));
  const setHash = (p) => history.replaceState(null, '', '#' + p.toString());
  for (const table of document.querySelectorAll('table[data-table]')) {
    const id = table.id;
    const body = table.tBodies[0];
    const rows = [...body.rows];
    const inputs = [...document.querySelectorAll('[data-filter-for="' + id + '"]')];
    const apply = () => {
      const p = hash();
      let shown = 0;
      for (const row of rows) {
        const ok = inputs.every((el) => {
          const v = el.value.trim().toLowerCase();
          if (!v) return true;
          const field = el.dataset.field;
          const cell = field ? (row.dataset[field] || '') : row.textContent;
          return field && el.tagName === 'SELECT' ? cell.toLowerCase() === v : cell.toLowerCase().includes(v);
        });
        row.hidden = !ok;
        if (ok) shown++;
      }
      const count = document.querySelector('[data-count-for="' + id + '"]');
      if (count) count.textContent = shown + ' of ' + rows.length;
      for (const el of inputs) p.set(id + '.' + (el.dataset.field || 'q'), el.value);
      setHash(p);
    };
    const sortBy = (col, dir) => {
      const key = (r) => r.cells[col].dataset.sort ?? r.cells[col].textContent.trim().toLowerCase();
      rows.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
      for (const r of rows) body.appendChild(r);
      const p = hash(); p.set(id + '.sort', col + ':' + dir); setHash(p);
    };
    [...table.tHead.rows[0].cells].forEach((th, col) => {
      const b = document.createElement('button');
      b.type = 'button'; b.textContent = th.textContent; th.textContent = ''; th.appendChild(b);
      b.addEventListener('click', () => {
        const cur = hash().get(id + '.sort');
        sortBy(col, cur === col + ':1' ? -1 : 1);
      });
    });
    const p = hash();
    for (const el of inputs) {
      const v = p.get(id + '.' + (el.dataset.field || 'q'));
      if (v) el.value = v;
      el.addEventListener('input', apply);
    }
    const s = p.get(id + '.sort');
    if (s) { const [c, d] = s.split(':').map(Number); sortBy(c, d); }
    apply();
  }
  const live = document.getElementById('live');
  // Only the served dashboard has a stamp; the shared file that iam2sso report writes has no server to ask.
  if (window.EventSource && document.body.dataset.stamp) {
    const es = new EventSource('/events?stamp=' + encodeURIComponent(document.body.dataset.stamp));
    es.addEventListener('change', () => { if (live) live.textContent = 'updating…'; location.reload(); });
    es.onerror = () => { if (live) live.textContent = 'offline (the dashboard server stopped?)'; };
  }
})();`;
