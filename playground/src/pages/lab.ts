// The plugin lab in the browser: a segment rule (builder or JSON) or a small segment strategy
// (one rule per segment) is defined on the server as lab custom segments, then their sizes, their
// overlap with the tiers and featured groups, and why a sample customer is in are shown — updated
// on every edit. The Node lab (`pnpm playground`, lab.ts) runs a real strategy plugin.
import type { KequnClient } from '@kequn/client';
import { isProblemError } from '@kequn/client';
import type { KqCustomerCard, KqSegmentBuilder } from '@kequn/components';
import { z } from 'zod';
import { may } from '../session.js';
import { applyTexts, escapeHtml, panel, required } from '../dom.js';
import { portalLocale, t } from '../texts.js';
import type { PageContext } from './context.js';

/** Lab segments live in the `custom` strategy under this prefix and are replaced on every edit. */
const LAB_PREFIX = 'lab-';
/** The overlap route compares at most 20 segments at once. */
const MOST_COMPARED = 20;
const MOST_LAB_SEGMENTS = 5;
const EXISTING_STRATEGIES = ['tiering', 'featured-groups'];

export const defaultLabRule = {
  all: [
    { attribute: 'profile.age', op: 'gte', value: 60 },
    { attribute: 'assets.currentAum', op: 'gte', value: 500_000 },
  ],
};

/** Three segments of a small strategy, like the maturity re-marketing strategy of lab.ts. */
export const defaultLabStrategy = {
  segments: {
    'senior-affluent': defaultLabRule,
    'maturing-soon': { attribute: 'holdings.maturingAmount30d', op: 'gte', value: 100_000 },
    'young-digital': {
      all: [
        { attribute: 'profile.age', op: 'lt', value: 35 },
        { attribute: 'behaviour.mobileBankingActive', op: 'eq', value: true },
      ],
    },
  },
};

const strategySnippetSchema = z.object({
  segments: z
    .record(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/), z.unknown())
    .refine((segments) => Object.keys(segments).length >= 1, 'give at least one segment')
    .refine(
      (segments) => Object.keys(segments).length <= MOST_LAB_SEGMENTS,
      `give at most ${MOST_LAB_SEGMENTS} segments`,
    ),
});

interface LabSegment {
  readonly id: string;
  readonly name: string;
  readonly rule: unknown;
}

type Mode = 'rule' | 'strategy';

function problemText(error: unknown): string {
  if (isProblemError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Lab segments of the current draft, or a sentence saying why the JSON is not one. */
function labSegmentsOf(mode: Mode, source: string): LabSegment[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    return t('invalidJson') + (error instanceof Error ? error.message : String(error));
  }
  if (mode === 'rule') return [{ id: `${LAB_PREFIX}rule`, name: 'rule', rule: parsed }];
  const snippet = strategySnippetSchema.safeParse(parsed);
  if (!snippet.success) return snippet.error.issues.map((issue) => issue.message).join('; ');
  return Object.entries(snippet.data.segments).map(([name, rule]) => ({
    id: `${LAB_PREFIX}${name}`,
    name,
    rule,
  }));
}

interface LabResult {
  readonly sizes: { name: string; ref: string; customers: number }[];
  readonly overlap: { draft: string; existing: string; label: string; shared: number }[];
  readonly sample: { customerId: string; segment: string } | undefined;
}

async function existingGroups(client: KequnClient): Promise<Map<string, string>> {
  const catalogue = await client.call('segments.list', {});
  const labels = new Map<string, string>();
  for (const strategy of catalogue.strategies) {
    if (!EXISTING_STRATEGIES.includes(strategy.id)) continue;
    for (const segment of strategy.segments) labels.set(segment.ref, segment.label[portalLocale()]);
  }
  return labels;
}

/** Defines the draft's lab segments, removes the lab segments it dropped, and measures them. */
async function measure(
  client: KequnClient,
  drafts: readonly LabSegment[],
  previous: ReadonlySet<string>,
): Promise<LabResult> {
  const sizes: LabResult['sizes'] = [];
  for (const draft of drafts) {
    const defined = await client.call('segments.define', {
      params: { segmentId: draft.id },
      body: {
        label: { 'zh-CN': `实验：${draft.name}`, en: `Lab: ${draft.name}` },
        rule: draft.rule,
      },
    });
    sizes.push({ name: draft.name, ref: defined.ref, customers: defined.customers });
  }
  const kept = new Set(drafts.map((draft) => draft.id));
  for (const id of previous) {
    if (!kept.has(id)) await client.call('segments.remove', { params: { segmentId: id } });
  }
  const groups = await existingGroups(client);
  const compared = [...groups.keys()].slice(0, MOST_COMPARED - sizes.length);
  const overlap = await client.call('segments.overlap', {
    body: { segments: [...sizes.map((size) => size.ref), ...compared] },
  });
  const rows: LabResult['overlap'] = [];
  sizes.forEach((size, draftIndex) => {
    compared.forEach((ref, groupIndex) => {
      const shared = overlap.counts[draftIndex]?.[sizes.length + groupIndex] ?? 0;
      if (shared > 0)
        rows.push({ draft: size.name, existing: ref, label: groups.get(ref) ?? ref, shared });
    });
  });
  const first = sizes.find((size) => size.customers > 0);
  let sample: LabResult['sample'];
  if (first !== undefined) {
    const page = await client.call('customers.list', { query: { segment: first.ref, limit: 1 } });
    const member = page.items[0];
    if (member !== undefined) sample = { customerId: member.id, segment: first.ref };
  }
  return { sizes, overlap: rows, sample };
}

function renderResult(result: LabResult): string {
  const format = new Intl.NumberFormat(portalLocale());
  const sizeRows = result.sizes
    .map(
      (size) =>
        `<tr data-lab-segment="${escapeHtml(size.name)}"><th scope="row">${escapeHtml(size.name)}</th><td class="figure" data-lab-size>${format.format(size.customers)}</td></tr>`,
    )
    .join('');
  const overlapRows = result.overlap
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.draft)}</td><td>${escapeHtml(row.label)} <code>${escapeHtml(row.existing)}</code></td><td class="figure">${format.format(row.shared)}</td></tr>`,
    )
    .join('');
  return `<table class="lab-table"><thead><tr><th data-text="segment"></th><th data-text="size"></th></tr></thead><tbody>${sizeRows}</tbody></table>
    <h3 data-text="overlap"></h3>
    <table class="lab-table"><thead><tr><th data-text="segment"></th><th data-text="segment"></th><th data-text="shared"></th></tr></thead><tbody>${overlapRows}</tbody></table>`;
}

export function renderLab({ session, config, container }: PageContext): void {
  if (!may(session, 'segments.define')) {
    container.innerHTML = '<p class="hint" data-text="labNeeds"></p>';
    return;
  }
  const client = session.client;
  container.innerHTML = `<p class="intro" data-text="labIntro"></p>
    <div class="tabs" role="tablist">
      <button type="button" role="tab" data-mode="rule" aria-selected="true" data-text="labRule"></button>
      <button type="button" role="tab" data-mode="strategy" aria-selected="false" data-text="labStrategy"></button>
    </div>
    <div class="grid lab">
      ${panel('segmentBuilder', '<kq-segment-builder></kq-segment-builder>', 'lab-rule-only')}
      ${panel('ruleJson', '<textarea id="lab-rule-json" spellcheck="false" rows="14"></textarea>', 'lab-rule-only')}
      ${panel('strategyJson', '<textarea id="lab-strategy-json" spellcheck="false" rows="22"></textarea>', 'lab-strategy-only wide')}
      ${panel('size', '<p class="lab-status" role="status" aria-live="polite"></p><div id="lab-result"></div>')}
      ${panel(
        'explanation',
        may(session, 'customers.view')
          ? '<p class="hint" data-text="noMembers" hidden></p><kq-customer-card hidden></kq-customer-card>'
          : '<p class="hint"><span data-text="notPermitted"></span><code>customers.view</code></p>',
      )}
    </div>`;

  const builder = required<KqSegmentBuilder>(container, 'kq-segment-builder');
  const ruleJson = required<HTMLTextAreaElement>(container, '#lab-rule-json');
  const strategyJson = required<HTMLTextAreaElement>(container, '#lab-strategy-json');
  const status = required<HTMLElement>(container, '.lab-status');
  const output = required<HTMLElement>(container, '#lab-result');
  const card = container.querySelector<KqCustomerCard>('kq-customer-card');
  const noMembers = container.querySelector<HTMLElement>('[data-text="noMembers"]');

  builder.attributeCatalogue = config.catalogue;
  builder.rule = defaultLabRule;
  ruleJson.value = JSON.stringify(defaultLabRule, null, 2);
  strategyJson.value = JSON.stringify(defaultLabStrategy, null, 2);

  let mode: Mode = 'rule';
  let defined = new Set<string>();
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const showMode = () => {
    container.dataset['labMode'] = mode;
    for (const tab of container.querySelectorAll<HTMLButtonElement>('[data-mode]'))
      tab.setAttribute('aria-selected', String(tab.dataset['mode'] === mode));
  };

  // Stale answers are dropped: only the latest edit's result is shown.
  const update = async () => {
    const current = ++generation;
    const drafts = labSegmentsOf(mode, mode === 'rule' ? ruleJson.value : strategyJson.value);
    if (typeof drafts === 'string') {
      status.textContent = drafts;
      container.dataset['labState'] = 'invalid';
      return;
    }
    status.textContent = t('updating');
    container.dataset['labState'] = 'updating';
    try {
      const result = await measure(client, drafts, defined);
      defined = new Set(drafts.map((draft) => draft.id));
      if (current !== generation) return;
      output.innerHTML = renderResult(result);
      applyTexts(output);
      status.textContent = '';
      container.dataset['labState'] = 'ready';
      if (card !== null && noMembers !== null) {
        noMembers.hidden = result.sample !== undefined;
        card.hidden = result.sample === undefined;
        if (result.sample !== undefined) {
          card.explainSegment = result.sample.segment;
          // The card loads again on a new customer only; the same one must show the new rule.
          if (card.customerId === result.sample.customerId) card.reload();
          else card.customerId = result.sample.customerId;
        }
      }
    } catch (error) {
      if (current !== generation) return;
      status.textContent = problemText(error);
      container.dataset['labState'] = 'invalid';
    }
  };
  const scheduleUpdate = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void update(), 350);
  };

  builder.addEventListener('kq-rule-change', (event) => {
    // While the JSON is being typed, the builder follows it, not the other way round.
    if (!event.detail.valid || document.activeElement === ruleJson) return;
    const text = JSON.stringify(event.detail.rule, null, 2);
    if (text === ruleJson.value) return;
    ruleJson.value = text;
    scheduleUpdate();
  });
  ruleJson.addEventListener('input', () => {
    const drafts = labSegmentsOf('rule', ruleJson.value);
    if (typeof drafts !== 'string') builder.rule = drafts[0]?.rule;
    scheduleUpdate();
  });
  strategyJson.addEventListener('input', scheduleUpdate);
  for (const tab of container.querySelectorAll<HTMLButtonElement>('[data-mode]')) {
    tab.addEventListener('click', () => {
      mode = tab.dataset['mode'] === 'strategy' ? 'strategy' : 'rule';
      showMode();
      scheduleUpdate();
    });
  }
  showMode();
  void update();
}
