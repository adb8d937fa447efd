// Example inputs per route id, for tests that walk every route of the OpenAPI document. A route
// without an entry is still walked, with no query and an empty body.
export interface RouteExample {
  query?: Record<string, string>;
  body?: unknown;
}

export function examples(segmentRef: string): Readonly<Record<string, RouteExample>> {
  return {
    'customers.list': { query: { limit: '200' } },
    'customers.explain': { query: { segment: segmentRef } },
    'customers.unmask': {
      body: { fields: ['name', 'phone'], reason: 'customer called to verify the account' },
    },
    'segments.validate': {
      body: { rule: { attribute: 'assets.currentAum', op: 'gte', value: 50_000 } },
    },
    'segments.preview': {
      body: { rule: { attribute: 'assets.currentAum', op: 'gte', value: 50_000 } },
    },
    'segments.define': {
      body: {
        label: { 'zh-CN': '富裕', en: 'Affluent' },
        rule: { attribute: 'assets.currentAum', op: 'gte', value: 500_000 },
      },
    },
    'segments.overlap': { body: { segments: [segmentRef, 'tiering:high_end'] } },
    'segments.evaluate': { body: { strategies: ['tiering'] } },
    'segments.export': { body: { segment: segmentRef, reason: 'quarterly review list' } },
    'books.contactPlan': { query: { locale: 'en', limit: '20' } },
    'books.recordContact': {
      body: { customerId: 'C000000001', outcome: 'reached', channel: 'phone', note: '<b>回访</b>' },
    },
    'handoffs.reject': { body: { reason: 'customer file incomplete' } },
    'handoffs.approve': { body: {} },
    'kpis.get': { query: { from: '2026-05-01', to: '2026-10-31' } },
    'auth.devToken': { body: { role: 'analyst' } },
    'campaigns.list': { query: { status: 'running' } },
    'campaigns.create': { body: exampleCampaign('walk-threshold-reward') },
    'campaigns.act': { body: { action: 'submit', note: 'ready for the branch head' } },
    'campaigns.run': { body: {} },
    'campaigns.report': { query: { asOf: '2026-12-01T10:00:00+08:00' } },
  };
}

/** A valid campaign to create from the shipped threshold-reward type (达标有礼). */
export function exampleCampaign(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    type: 'threshold-reward',
    name: { 'zh-CN': '达标有礼', en: 'Threshold reward' },
    parameters: {},
    experiment: { holdout: 0.1 },
    ...extra,
  };
}

/** Walks a JSON value and collects every string that looks like a customer id. */
export function customerIdsIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      for (const match of next.matchAll(/C\d{9}/g)) found.add(match[0]);
    } else if (next !== null && typeof next === 'object') {
      pending.push(...Object.values(next));
    }
  }
  return found;
}
