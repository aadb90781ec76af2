import { ALPHA_PER_LOOK, upperBound } from '../engine/decision.js';
import { SECTIONS } from '../engine/types.js';
import { type ClaimSummary, type Summary, formatRange, inDocumentOrder, roleOf } from '../report/summary.js';
import type { RegionRecord } from '../report/region-record.js';
import { keyNumberWords } from '../report/key-words.js';
import { regionShortName, verdictWord } from '../report/verdict-words.js';

/**
 * The verdict site (issue 23): one HTML page that puts the verdicts first and the evidence one
 * click behind them. It is a function of a run's records alone (its claims.json, the plots and the
 * Allure links found beside them), so a published run re-renders without running anything. No
 * request leaves the page: styles, scripts and data are inline, plots are files beside it.
 */

/** Marks the page as this generator's, so a rebuild may replace it and nothing else. */
export const SITE_GENERATOR = 'vanishing-gradients-verify site';

/** What the page is built from. */
export interface SitePageInput {
  readonly summary: Summary;
  /** What ran, in words (the run's kind, selection, plan, seeds, pins): the page's first line. */
  readonly runLabel: string;
  /** Whether the run was partial (filtered, reduced or pinned): said in the title and first line. */
  readonly partial: boolean;
  /** The Allure report's index.html relative to the page, or null when there is none. */
  readonly allureIndex: string | null;
  /** `CLAIM [region]` → the fragment that opens the region's result in the Allure report (`#…`). */
  readonly allureLinks: ReadonlyMap<string, string>;
  /** `CLAIM [region]` → the region's evidence plot, relative to the page. */
  readonly plots: ReadonlyMap<string, string>;
  /** A claim's source or spec file (its path in the repository) → the link the page gives it, or null for none. */
  readonly sourceHref: (path: string) => string | null;
  /** The section → spec file map (report/summary.ts specOf), applied by the caller. */
  readonly specOf: (c: ClaimSummary) => string | null;
  /** The live panel's script (site/panel-bundle.ts), or null to leave the panel out. */
  readonly panelScript: string | null;
}

/** The cell types a region is about, read from its id and description (the filter's values). */
export const CELL_TYPES = ['vanilla RNN', 'LSTM', 'GRU', 'residual', 'layer norm'] as const;
export type CellType = (typeof CELL_TYPES)[number];

/** Which of {@link CELL_TYPES} a region's id and description name (a region naming none is about the vanilla RNN, the document's default). */
export function cellTypesOf(r: Pick<RegionRecord, 'regionId' | 'region'>): CellType[] {
  const text = `${r.regionId} ${r.region}`.toLowerCase();
  const found: CellType[] = [];
  if (/\blstm/.test(text)) found.push('LSTM');
  if (/\bgru/.test(text)) found.push('GRU');
  if (/residual|skip/.test(text)) found.push('residual');
  if (/layer.?norm|layernorm|\bln\b/.test(text)) found.push('layer norm');
  if (/\brnn|tanh|relu|vanilla|irnn|elman/.test(text) || found.length === 0) found.push('vanilla RNN');
  return found;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const slug = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const regionKey = (r: Pick<RegionRecord, 'claimId' | 'regionId'>): string => `${r.claimId} [${r.regionId}]`;

/** A verdict badge: a shape and the verdict in words (the colour only repeats them). */
function badge(verdict: string, small = false): string {
  return `<span class="badge v-${esc(verdict)}${small ? ' small' : ''}"><span class="shape" aria-hidden="true"></span>${esc(verdictWord(verdict))}</span>`;
}

/** Cases a region's verdict reads (a premise region's inside its premise; a probe's, all of them) and how many of them hold. */
function regionCount(r: RegionRecord): { readonly holds: number; readonly n: number } {
  return { holds: r.counts.holds, n: r.counts.holds + r.counts.fails + r.counts.broken };
}

const roleWords = (r: RegionRecord): string => (roleOf(r) === 'premise' ? 'tests the premise' : 'probes beyond the premise');

/** One chip per region, or per (role, verdict) group when a claim has many regions (a training grid). */
function chips(c: ClaimSummary): string {
  const many = c.regions.length > 6;
  if (!many) {
    return c.regions
      .map((r) => {
        const { holds, n } = regionCount(r);
        const role = roleOf(r);
        return (
          `<span class="chip role-${role} v-${esc(r.measured)}" ` +
          `title="${esc(`${r.region} — ${roleWords(r)}`)}"><span class="shape" aria-hidden="true"></span><span ` +
          `class="role">${role === 'premise' ? 'premise' : 'probe'}</span> ${esc(regionShortName(r))} · ` +
          `${esc(verdictWord(r.measured))} · ${holds} of ${n} hold</span>`
        );
      })
      .join(' ');
  }
  const groups = new Map<string, RegionRecord[]>();
  for (const r of c.regions) {
    const k = `${roleOf(r)}|${r.measured}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups]
    .sort(([a], [b]) => (a.startsWith('premise') === b.startsWith('premise') ? a.localeCompare(b) : a.startsWith('premise') ? -1 : 1))
    .map(([k, rs]) => {
      const [role, verdict] = k.split('|') as [string, string];
      const ids = rs.map((r) => r.regionId);
      return (
        `<span class="chip role-${role} v-${esc(verdict)}" title="${esc(ids.join(', '))}"><span class="shape" ` +
        `aria-hidden="true"></span><span class="role">${role === 'premise' ? 'premise' : 'probe'}</span> ` +
        `${rs.length} region${rs.length > 1 ? 's' : ''} ${esc(verdictWord(verdict))}</span>`
      );
    })
    .join(' ');
}

/** The key number in words with its unit, measured beside claimed. */
function keyNumberText(c: ClaimSummary): string {
  const k = c.keyNumber;
  if (!k) return 'This claim reports no single key number; each region lists its numbers.';
  const { words, unit } = keyNumberWords(k.name);
  const u = unit ? ` ${unit}` : '';
  const claimed = k.claimed ? `; the document's claim: ${k.claimed[0]}–${k.claimed[1]}${u}` : '';
  return (
    `${words}: measured ${formatRange(k.measured)}${u} over ${k.measured.cases} ` +
    `case${k.measured.cases === 1 ? '' : 's'}${claimed}${k.representativeOnly ? ' (some regions record one representative case only)' : ''}.`
  );
}

/** What bounds a region's verdict: the decision rule's one-sided bound on the minority share, or the rule's own words. */
function boundText(r: RegionRecord): string {
  const { holds, n } = regionCount(r);
  if (n === 0) return 'no case inside the premise';
  if (r.rule === 'universal') return r.counts.fails > 0 ? `a counterexample refutes (${r.counts.fails} of ${n} fail)` : `no counterexample in ${n} cases`;
  if (r.rule === 'enumerated') return `every training seed counted (${holds} of ${n})`;
  const fails = n - holds;
  const minority = Math.min(holds, fails);
  const side = holds >= fails ? 'failing' : 'holding';
  return `share ${side} ≤ ${(100 * upperBound(minority, n, ALPHA_PER_LOOK)).toFixed(1)}% (one-sided, α = ${ALPHA_PER_LOOK.toPrecision(3)} per look)`;
}

function link(href: string | null, text: string, cls = ''): string {
  return href === null ? esc(text) : `<a href="${esc(href)}"${cls ? ` class="${cls}"` : ''}>${esc(text)}</a>`;
}

/** One region's row in a claim's detail. */
function regionRow(r: RegionRecord, input: SitePageInput): string {
  const key = regionKey(r);
  const { holds, n } = regionCount(r);
  const fragment = input.allureLinks.get(key);
  const allure = input.allureIndex !== null && fragment !== undefined ? `${input.allureIndex}${fragment}` : null;
  const plot = input.plots.get(key);
  const keyRange = r.key
    ? `${keyNumberWords(r.key.name).words} ${formatRange(r.key)}${keyNumberWords(r.key.name).unit ? ` ${keyNumberWords(r.key.name).unit}` : ''}`
    : '';
  const outside = !r.counts.outside
    ? ''
    : roleOf(r) === 'premise'
      ? `; ${r.counts.outside} more outside the premise (counted, never refuting)`
      : `; ${r.counts.outside} of them outside the premise, as a probe's are`;
  const cx = r.counterexample
    ? `<details class="cx"><summary>Smallest counterexample: ${esc(r.counterexample.subject)} (after ` +
      `${r.counterexample.shrinks} ` +
      `shrink${r.counterexample.shrinks === 1 ? '' : 's'})</summary><pre>${esc(JSON.stringify({ config: r.counterexample.config, numbers: r.counterexample.numbers }, null, 2))}</pre></details>`
    : '';
  const exceptions =
    r.exceptions && r.exceptions.length > 0 ? `<p class="small">Exceptions listed: ${r.exceptions.map((e) => esc(e.subject)).join('; ')}</p>` : '';
  const seeds = r.seeds
    ? `<p class="small">Seeds: ` +
      `${r.seeds.map((s) => `${s.seed} ${s.holds === null ? 'broken' : s.holds ? 'holds' : 'fails'}${s.solvedAt === undefined ? '' : s.solvedAt === null ? ' (did not learn within the cap)' : ` (learned at update ${s.solvedAt})`}`).join('; ')}</p>`
    : '';
  return [
    `<li class="region role-${roleOf(r)}" data-region="${esc(key)}">`,
    `<div class="region-head">${badge(r.measured, true)} <strong>${esc(r.regionId)}</strong> <span class="role-text">${roleWords(r)}</span></div>`,
    `<p>${esc(r.region)}</p>`,
    `<p class="small">n = ${n} cases read, ${holds} hold${outside}; bound: ` +
      `${esc(boundText(r))}${r.matches ? '' : `; <strong>differs from the registered ${esc(verdictWord(r.expected))}</strong>`}${keyRange ? `; ${esc(keyRange)}` : ''}</p>`,
    seeds,
    exceptions,
    cx,
    plot ? `<details class="plot"><summary>Evidence plot</summary><img loading="lazy" alt="${esc(`${key} evidence plot`)}" src="${esc(plot)}"></details>` : '',
    `<p class="small">${allure ? link(allure, 'Evidence in the Allure report', 'allure-link') : 'No Allure result for this region in this run'}</p>`,
    '</li>',
  ].join('');
}

/** The one line of a claim and its detail. */
function claimBlock(c: ClaimSummary, input: SitePageInput): string {
  const cells = [...new Set(c.regions.flatMap(cellTypesOf))];
  const spec = input.specOf(c);
  const source = c.source ? input.sourceHref(c.source) : null;
  const specHref = spec ? input.sourceHref(spec) : null;
  const search = `${c.id} ${c.statement} ${c.regions.map((r) => r.region).join(' ')}`.toLowerCase();
  return [
    `<details class="claim" id="${esc(c.id)}" data-verdict="${esc(c.measured)}" ` +
      `data-section="${esc(c.section)}" data-cells="${esc(cells.join('|'))}" data-search="${esc(search)}">`,
    `<summary><span class="line">${badge(c.measured)} <span class="statement">${esc(c.statement)}</span> ` +
      `<a class="id" href="#${esc(c.id)}">${esc(c.id)}</a></span><span class="where"><span ` +
      `class="where-label">where:</span> ${chips(c)}</span></summary>`,
    '<div class="detail">',
    `<p><strong>Verdict:</strong> ` +
      `${esc(verdictWord(c.measured))}${c.measured === c.expected ? '' : ` (registered: ${esc(verdictWord(c.expected))})`} ` +
      `· ${esc(c.kind)} claim</p>`,
    `<p><strong>Predicate:</strong> ${esc(c.predicate)}</p>`,
    c.premise ? `<p><strong>Premise:</strong> ${esc(c.premise)}</p>` : '',
    c.reading ? `<p><strong>Reading:</strong> ${esc(c.reading)}</p>` : '',
    `<p><strong>Boundary:</strong> ` +
      `${c.boundary ? esc(c.boundary) : c.measured === 'holds' ? 'none: it holds in every region that tests its premise.' : 'not stated.'}</p>`,
    `<p><strong>Key number:</strong> ${esc(keyNumberText(c))}</p>`,
    `<ul class="regions">${c.regions.map((r) => regionRow(r, input)).join('')}</ul>`,
    `<p class="small">Stated in ${link(source, c.source ?? 'an unknown file')}; run by ${link(specHref, spec ?? 'an unknown spec')}.</p>`,
    '</div></details>',
  ].join('');
}

const STYLE = `
:root{--fg:#1a1a1a;--muted:#555;--bg:#fff;--line:#ccc;--holds:#1b6e2a;--refuted:#b00020;--conditional:#8a5a00;--budget:#5b3f99;--pending:#555}
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1200px;margin:0 auto;padding:0 16px}h1{font-size:1.6rem;margin:16px 0 4px}h2{font-size:1.25rem;margin:24px 0 8px;border-bottom:2px solid var(--line)}
.run{margin:4px 0;padding:6px 10px;border-left:4px solid var(--line);background:#f5f5f5}.run.partial{border-left-color:var(--conditional);background:#fff4e0;font-weight:600}
.totals{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0;padding:0;list-style:none}.totals li{white-space:nowrap}
nav a{margin-right:16px}form{display:flex;flex-wrap:wrap;gap:8px 16px;margin:12px 0;align-items:end}form label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
select,input{font:inherit;padding:4px 6px;min-width:10rem;max-width:100%}#shown{color:var(--muted);font-size:.9rem}
.badge{display:inline-flex;align-items:center;gap:5px;padding:1px 8px;border:2px solid currentColor;border-radius:4px;font-weight:700;text-transform:uppercase;font-size:.8rem;letter-spacing:.03em;white-space:nowrap;vertical-align:middle}
.badge.small{font-size:.72rem;padding:0 6px}.shape{display:inline-block;width:.7em;height:.7em;background:currentColor;flex:none}
.v-holds{color:var(--holds)}.v-holds .shape{border-radius:50%}
.v-refuted{color:var(--refuted)}.v-refuted .shape{clip-path:polygon(20% 0,50% 30%,80% 0,100% 20%,70% 50%,100% 80%,80% 100%,50% 70%,20% 100%,0 80%,30% 50%,0 20%)}
.v-conditional,.v-mixed{color:var(--conditional)}.v-conditional .shape,.v-mixed .shape{transform:rotate(45deg)}
.v-budget-limited,.v-undetermined{color:var(--budget)}.v-budget-limited .shape,.v-undetermined .shape{clip-path:polygon(50% 0,100% 100%,0 100%)}
.v-pending,.v-numerically-broken,.v-untested,.v-outside-premise{color:var(--pending)}.v-pending .shape,.v-untested .shape{background:none;border:2px solid currentColor;border-radius:50%}
.claim{border-bottom:1px solid var(--line);padding:6px 0}.claim>summary{cursor:pointer;list-style:none;display:flex;flex-direction:column;gap:4px}.claim>summary::-webkit-details-marker{display:none}
.claim>summary .line::before{content:"+";display:inline-block;width:1em;color:var(--muted);font-weight:700}.claim[open]>summary .line::before{content:"\\2212"}
.statement{font-weight:500}.id{font-size:.8rem;color:var(--muted);margin-left:4px}.where{font-size:.85rem;color:var(--muted);padding-left:1em}.where-label{margin-right:4px}
.chip{display:inline-flex;align-items:center;gap:4px;margin:2px 2px 2px 0;padding:0 6px;border:1.5px solid currentColor;border-radius:10px;font-size:.78rem;white-space:normal}
.chip.role-boundary{border-style:dashed;opacity:.85}.chip .role{font-weight:700;text-transform:uppercase;font-size:.68rem}
.detail{padding:4px 0 8px 1em}.regions{list-style:none;padding:0}.region{border-left:3px solid var(--line);padding:4px 10px;margin:8px 0}.region.role-boundary{border-left-style:dashed}
.role-text{color:var(--muted);font-size:.85rem}.small{font-size:.85rem;color:#333;margin:2px 0}pre{overflow:auto;font-size:.75rem;background:#f5f5f5;padding:6px}
img{max-width:100%;height:auto;border:1px solid var(--line)}.hidden{display:none!important}a{color:#0b4fa6}
#try{margin-bottom:48px}
@media (max-width:600px){h1{font-size:1.3rem}select,input{min-width:0;width:100%}form label{flex:1 1 45%}}
`;

/** The filters: verdict, section, cell type and a search over statements; sections with nothing shown are hidden. */
const FILTER_SCRIPT = `
(function(){
  var f=document.getElementById('filters');if(!f)return;
  var claims=[].slice.call(document.querySelectorAll('details.claim'));
  function apply(){
    var v=f.verdict.value,s=f.section.value,c=f.cell.value,q=f.q.value.trim().toLowerCase();var shown=0;
    claims.forEach(function(el){
      var ok=(!v||el.dataset.verdict===v)&&(!s||el.dataset.section===s)&&(!c||el.dataset.cells.split('|').indexOf(c)>=0)&&(!q||el.dataset.search.indexOf(q)>=0);
      el.classList.toggle('hidden',!ok);if(ok)shown++;
    });
    [].forEach.call(document.querySelectorAll('section.doc-section'),function(sec){sec.classList.toggle('hidden',!sec.querySelector('details.claim:not(.hidden)'));});
    document.getElementById('shown').textContent=shown+' of '+claims.length+' claims shown';
  }
  f.addEventListener('input',apply);f.addEventListener('change',apply);f.addEventListener('submit',function(e){e.preventDefault();});
  function openHash(){var id=decodeURIComponent(location.hash.slice(1));var el=id&&document.getElementById(id);if(el&&el.tagName==='DETAILS'){el.open=true;el.scrollIntoView();}}
  window.addEventListener('hashchange',openHash);openHash();apply();
})();
`;

const option = (value: string, text: string): string => `<option value="${esc(value)}">${esc(text)}</option>`;

/** The whole page. */
export function sitePage(input: SitePageInput): string {
  const s = input.summary;
  const claims = inDocumentOrder(s.claims);
  const sections = [...new Set(claims.map((c) => c.section))];
  const order = ['holds', 'refuted', 'conditional', 'budget-limited', 'numerically-broken', 'untested'];
  const verdicts = [...new Set([...order, ...claims.map((c) => c.measured), 'pending'])];
  const counts = new Map<string, number>(verdicts.map((v) => [v, 0]));
  for (const c of claims) counts.set(c.measured, (counts.get(c.measured) ?? 0) + 1);
  counts.set('pending', s.pending.length);
  const title = `${input.partial ? 'Partial run — ' : ''}Which claims about vanishing gradients hold`;
  const totals = verdicts
    .filter((v) => (counts.get(v) ?? 0) > 0 || v === 'refuted' || v === 'holds')
    .map((v) => `<li data-verdict="${v}" data-count="${counts.get(v) ?? 0}">${badge(v)} ${counts.get(v) ?? 0}</li>`)
    .join('');
  const cellsPresent = CELL_TYPES.filter((t) => claims.some((c) => c.regions.some((r) => cellTypesOf(r).includes(t))));
  const body = sections
    .map((section) => {
      const inSection = claims.filter((c) => c.section === section);
      // Numbered as the document numbers it, so a partial run's sections keep their numbers.
      const n = (SECTIONS as readonly string[]).indexOf(section);
      return (
        `<section class="doc-section" ` +
        `id="section-${slug(section)}"><h2>${n >= 0 ? `${n + 1} · ` : ''}${esc(section)}</h2>${inSection.map((c) => claimBlock(c, input)).join('')}</section>`
      );
    })
    .join('');
  const pending =
    s.pending.length > 0
      ? `<section class="doc-section" id="pending"><h2>Not decided ` +
        `yet</h2><ul>${s.pending.map((p) => `<li>${badge('pending', true)} ${esc(JSON.stringify(p))}</li>`).join('')}</ul></section>`
      : '';
  const panel =
    input.panelScript === null
      ? ''
      : `<section id="try"><h2>Try it: the gradient of one configuration</h2><p>Choose a cell, an ` +
        `initialisation, a hidden size and a length: the page computes log10 ‖∂L/∂s_t‖ by distance with the ` +
        `project's own float64 engine, in this browser, and reads the single-configuration predicates on ` +
        `it.</p><div id="vg-panel"></div></section>`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${SITE_GENERATOR}">`,
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body><header>`,
    `<h1>${esc(title)}</h1>`,
    `<p class="run${input.partial ? ' partial' : ''}" id="run-label">${esc(input.runLabel)}</p>`,
    `<p>Each line is a statement of the document <em>${esc(s.document)}</em>, in the project's words, ` +
      `with the verdict the experiments gave and where it was measured. Open a line for the predicate, the ` +
      `regions, the numbers and the evidence.</p>`,
    `<ul class="totals" id="totals" aria-label="claims by verdict">${totals}</ul>`,
    `<nav>${input.allureIndex !== null ? `<a href="${esc(input.allureIndex)}">Evidence: the Allure report</a>` : ''}${input.panelScript !== null ? '<a href="#try">Try a configuration</a>' : ''}</nav>`,
    '<form id="filters" role="search">',
    `<label>Verdict<select name="verdict">${option('', 'any verdict')}${verdicts
      .filter((v) => (counts.get(v) ?? 0) > 0 && v !== 'pending')
      .map((v) => option(v, verdictWord(v)))
      .join('')}</select></label>`,
    `<label>Section<select name="section">${option('', 'every section')}${sections.map((x) => option(x, x)).join('')}</select></label>`,
    `<label>Cell type<select name="cell">${option('', 'any cell')}${cellsPresent.map((x) => option(x, x)).join('')}</select></label>`,
    '<label>Search<input type="search" name="q" placeholder="words in a statement or region"></label>',
    '<span id="shown"></span></form></header><main>',
    body,
    pending,
    panel,
    `</main><script>${FILTER_SCRIPT}</script>`,
    input.panelScript === null ? '' : `<script>${input.panelScript.replace(/<\/script/gi, '<\\/script')}</script>`,
    '</body></html>',
  ].join('\n');
}
