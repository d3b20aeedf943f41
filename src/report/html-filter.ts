/**
 * The report's filter: account, category and severity drop-downs over the findings and users tables, in plain
 * inline JavaScript (no framework, no network), so the file works offline from disk. Rows carry the values they
 * match as `data-*` attributes (space-separated when a user has findings of several severities).
 */
import type { Category, Severity } from '../core/model.js';
import { esc } from './svg-charts.js';

/** The severities from most to least serious (the findings' sort order). */
export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low'];

/** The `data-*` attributes a filterable row carries. */
export function filterAttributes(row: { accountId: string; category?: Category | ''; severities: Severity[] }): string {
  return `data-account="${esc(row.accountId)}" data-category="${esc(row.category ?? '')}" data-severity="${row.severities.join(' ')}"`;
}

/** The filter controls: one select per dimension with every value present, and a "showing" count. */
export function filterControls(options: { accounts: { id: string; label: string }[]; categories: Category[] }): string {
  const select = (key: string, label: string, values: [string, string][]) =>
    `<label>${label} <select data-filter="${key}"><option value="">all</option>${values
      .map(([v, text]) => `<option value="${esc(v)}">${esc(text)}</option>`)
      .join('')}</select></label>`;
  return `<form class="filters" id="filters" onsubmit="return false">${select(
    'account',
    'Account',
    options.accounts.map((a) => [a.id, a.label]),
  )}${select(
    'category',
    'Category',
    options.categories.map((c) => [c, c]),
  )}${select(
    'severity',
    'Severity',
    SEVERITY_ORDER.map((s) => [s, s]),
  )} <span id="filter-status"></span></form>`;
}

/** The script that applies the selects to every row with `data-account`, and updates the table counts. */
export const FILTER_SCRIPT = `<script>
(function () {
  var selects = document.querySelectorAll('select[data-filter]');
  function apply() {
    var want = {};
    selects.forEach(function (s) { if (s.value) want[s.getAttribute('data-filter')] = s.value; });
    document.querySelectorAll('tr[data-account]').forEach(function (tr) {
      var show = Object.keys(want).every(function (k) {
        return (tr.getAttribute('data-' + k) || '').split(' ').indexOf(want[k]) >= 0;
      });
      tr.hidden = !show;
    });
    document.querySelectorAll('[data-count-of]').forEach(function (el) {
      var table = document.getElementById(el.getAttribute('data-count-of'));
      el.textContent = table.querySelectorAll('tbody tr:not([hidden])').length;
    });
    var active = Object.keys(want).length;
    document.getElementById('filter-status').textContent = active ? 'filtered by ' + Object.keys(want).map(function (k) { return k + ' = ' + want[k]; }).join(', ') : '';
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
})();
</script>`;

/** A date people read: `6 Dec 2026, 07:30 UTC` (empty input stays empty). */
export function readableDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const month = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[d.getUTCMonth()];
  const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}, ${time} UTC`;
}

/** A day people read: `6 Dec 2026`. */
export function readableDay(iso: string | null | undefined): string {
  return readableDate(iso).replace(/, \d\d:\d\d UTC$/, '');
}
