/**
 * Browser entry of the verdict site's live panel: attaches to `<div id="vg-panel">`, builds its
 * controls, and on every input or change recomputes the profile in the reader's browser with the
 * package's own float64 oracle (compute.ts) and redraws. No framework, no request, no web font.
 *
 * DOM contract (read by specs/report/site-panel-driver.ts): the root carries `data-config` (the
 * JSON of the validated ModelConfig drawn), `data-revision` (incremented per redraw) and
 * `data-state` ('ready' or 'error'); every control has a `name`; `table#vg-panel-values` has one
 * `tr[data-distance]` per distance with `data-log10`, `data-flag` and `data-bound`.
 */
import { panelProfile, type PanelProfile } from './compute.js';
import { DEFAULT_CHOICE, PANEL_CELLS, PANEL_INITS, PANEL_LIMITS, type PanelChoice, configOf } from './controls.js';
import { profileSvg } from './plot.js';
import { PANEL_CSS } from '../panel-styles.js';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const num = (v: number | null, flag: string | null): string => flag ?? (v === null ? '—' : v.toFixed(3));

function controlsHtml(c: PanelChoice): string {
  const option = (value: string, label: string, selected: string): string =>
    `<option value="${value}"${value === selected ? ' selected' : ''}>${esc(label)}</option>`;
  const field = (name: string, label: string, input: string, extra = ''): string =>
    `<div class="vg-control"><label for="vg-panel-${name}">${label}</label>${input}${extra}</div>`;
  const range = (name: 'hiddenSize' | 'seqLength', value: number): string =>
    `<input type="range" id="vg-panel-${name}" name="${name}" min="${PANEL_LIMITS[name][0]}" max="${PANEL_LIMITS[name][1]}" step="1" value="${value}">`;
  return [
    field('cell', 'Cell', `<select id="vg-panel-cell" name="cell">${PANEL_CELLS.map((x) => option(x.value, x.label, c.cell)).join('')}</select>`),
    field(
      'init',
      'Recurrent init W_hh',
      `<select id="vg-panel-init" name="init">${PANEL_INITS.map((x) => option(x.value, x.label, c.init)).join('')}</select>`,
    ),
    field('initScale', 'Init scale', `<input type="number" id="vg-panel-initScale" name="initScale" min="0" max="100" step="any" value="${c.initScale}">`),
    field('hiddenSize', 'Hidden size H', range('hiddenSize', c.hiddenSize), `<output for="vg-panel-hiddenSize">${c.hiddenSize}</output>`),
    field('seqLength', 'Sequence length T', range('seqLength', c.seqLength), `<output for="vg-panel-seqLength">${c.seqLength}</output>`),
    field('seed', 'Seed', `<input type="number" id="vg-panel-seed" name="seed" min="0" max="4294967295" step="1" value="${c.seed}">`),
  ].join('');
}

function choiceOf(form: HTMLFormElement): PanelChoice {
  const v = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  return {
    cell: v('cell'),
    init: v('init') as PanelChoice['init'],
    initScale: Number(v('initScale')),
    hiddenSize: Number(v('hiddenSize')),
    seqLength: Number(v('seqLength')),
    seed: Number(v('seed')),
  };
}

const LEGEND =
  '<ul class="vg-legend">' +
  ('<li><svg viewBox="0 0 28 10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="#174a8b" ' +
    'stroke-width="2"/></svg>measured ‖∂L/∂s_t‖, float64 (solid)</li>') +
  ('<li><svg viewBox="0 0 28 10" aria-hidden="true"><line x1="0" y1="5" x2="28" y2="5" stroke="#3d3d3d" ' +
    'stroke-width="1.6" stroke-dasharray="6 4"/></svg>bound ‖∂L/∂s_{T−1}‖·γ^(T−1−t) (dashed)</li>') +
  '<li class="vg-flagged">× float64 overflow, ○ exactly 0: flagged, not drawn</li></ul>';

function rulingsHtml(p: PanelProfile): string {
  const word = { holds: ['holds here', 'vg-holds'], fails: ['fails here', 'vg-fails'], 'not read': ['not read here', 'vg-unread'] } as const;
  const items = p.rulings.map((r) => {
    const [text, cls] = word[r.status];
    const scope = r.inSubject ? '' : ` <span class="vg-note">(the claim is about ${esc(r.subject)}; this configuration is outside it)</span>`;
    return (
      `<li data-claim="${r.claim}" data-status="${r.status}"><strong>${r.claim}</strong>: <span ` +
      `class="${cls}">${text}</span> — ${esc(r.summary)}${scope}</li>`
    );
  });
  return (
    `<ul class="vg-rulings">${items.join('')}</ul><p class="vg-note">Read on the float64 profile computed ` +
    `here, by the claims' own rules, at the T chosen here (several claims state theirs at T = 50); the ` +
    `claims' records read float32 (the kernel engine), with float64 only where float32 underflows.</p>`
  );
}

function flagsNote(p: PanelProfile): string {
  const at = (flag: string): number[] => p.flags.flatMap((f, d) => (f === flag ? [d] : []));
  const over = at('overflow'),
    zero = at('zero');
  const notes: string[] = [];
  if (p.firstOverflow)
    notes.push(
      `float64 overflow (${esc(p.firstOverflow.quantity)} at step ${p.firstOverflow.step}): ${over.length} ` +
        `distance(s) flagged, from ${Math.min(...over)}; no bound.`,
    );
  if (zero.length > 0) notes.push(`Exactly 0 in float64 at ${zero.length} distance(s), from ${Math.min(...zero)}.`);
  return notes.map((n) => `<p class="vg-note vg-flagged">${n}</p>`).join('');
}

function tableHtml(p: PanelProfile): string {
  const rows = p.distances.map((d) => {
    const v = p.log10[d],
      b = p.bound[d],
      flag = p.flags[d];
    return (
      `<tr data-distance="${d}" data-log10="${v ?? ''}" data-flag="${flag ?? ''}" ` +
      `data-bound="${b ?? ''}"><td>${d}</td><td>${num(v, flag)}</td><td>${num(b, null)}</td></tr>`
    );
  });
  return (
    `<details><summary>Values (${p.distances.length} rows)</summary><div class="vg-table-wrap"><table ` +
    `id="vg-panel-values"><thead><tr><th scope="col">distance T−1−t</th><th scope="col">log10 ‖∂L/∂s_t‖ ` +
    `(float64)</th><th scope="col">bound</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></details>`
  );
}

/** Builds the panel inside `root` and draws the default configuration. */
export function mountPanel(root: HTMLElement, choice: PanelChoice = DEFAULT_CHOICE): void {
  if (!document.getElementById('vg-panel-style')) {
    const style = document.createElement('style');
    style.id = 'vg-panel-style';
    style.textContent = PANEL_CSS;
    document.head.appendChild(style);
  }
  root.innerHTML = `<form>${controlsHtml(choice)}</form><div class="vg-out" aria-live="polite"></div>`;
  const form = root.querySelector('form') as HTMLFormElement;
  const out = root.querySelector('.vg-out') as HTMLElement;
  let revision = 0;
  const draw = (): void => {
    const c = choiceOf(form);
    const scaleFor = PANEL_INITS.find((i) => i.value === c.init)?.scale ?? null;
    const scale = form.elements.namedItem('initScale') as HTMLInputElement;
    scale.disabled = scaleFor === null;
    (root.querySelector('label[for=vg-panel-initScale]') as HTMLElement).textContent = scaleFor === null ? 'Init scale (unused)' : `Init scale: ${scaleFor}`;
    for (const name of ['hiddenSize', 'seqLength'])
      (root.querySelector(`output[for=vg-panel-${name}]`) as HTMLElement).textContent = String(c[name as 'hiddenSize']);
    try {
      const p = panelProfile(configOf(c));
      out.innerHTML = profileSvg(p) + LEGEND + flagsNote(p) + rulingsHtml(p) + tableHtml(p);
      root.dataset.config = JSON.stringify(p.config);
      root.dataset.state = 'ready';
    } catch (e) {
      out.innerHTML = `<p role="alert">${esc((e as Error).message)}</p>`;
      root.dataset.config = '';
      root.dataset.state = 'error';
    }
    root.dataset.revision = String(++revision);
  };
  // Range inputs fire many events while dragged: coalesce them into one redraw per frame's worth of events.
  let pending = false;
  const schedule = (): void => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      draw();
    }, 0);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', (e) => e.preventDefault());
  draw();
}

function attach(): void {
  const root = document.getElementById('vg-panel');
  if (root && !root.dataset.revision) mountPanel(root);
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attach);
  else attach();
}
