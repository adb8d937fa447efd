// The attribute catalogue a rule builder offers (GET /segments/attributes), and customer lists in
// any order (id, name, AUM, tier; both directions) walked page by page with the total of the set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tierIds } from '@kequn/plugin-tiering';
import { call, createFixture, type Fixture } from './fixture.js';

let fixture: Fixture;

beforeAll(async () => {
  fixture = await createFixture();
});

afterAll(async () => {
  await fixture.close();
});

interface Row {
  id: string;
  tier: string | null;
  aum: number | null;
  relationshipManagerId: string | null;
  branchId: string;
}

interface Page {
  items: Row[];
  nextAfter: string | null;
  total: number;
}

async function walk(
  token: string,
  query: Record<string, string>,
): Promise<{ rows: Row[]; totals: number[] }> {
  const rows: Row[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  do {
    const search = new URLSearchParams({ ...query, ...(after === null ? {} : { after }) });
    const response = await call(fixture.kequn, 'GET', `/customers?${search.toString()}`, token);
    expect(response.status, search.toString()).toBe(200);
    const page = (await response.json()) as Page;
    rows.push(...page.items);
    totals.push(page.total);
    after = page.nextAfter;
  } while (after !== null);
  return { rows, totals };
}

const collator = new Intl.Collator('zh-CN');
const rank = (tier: string | null): number =>
  tier === null ? -1 : (tierIds as readonly string[]).indexOf(tier);

/** The expected order, computed from the rows themselves and the state's full names. */
function expectedOrder(rows: readonly Row[], sort: string, order: string): string[] {
  const table = fixture.state.model.table;
  const nameOf = (id: string) => fixture.state.nameAt(table.indexOf(id) ?? 0);
  const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const keys: Record<string, (a: Row, b: Row) => number> = {
    id: byId,
    name: (a, b) => collator.compare(nameOf(a.id), nameOf(b.id)) || byId(a, b),
    aum: (a, b) => (a.aum ?? -Infinity) - (b.aum ?? -Infinity) || byId(a, b),
    tier: (a, b) => rank(a.tier) - rank(b.tier) || byId(a, b),
  };
  const ascending = keys[sort] ?? byId;
  const compare = order === 'asc' ? ascending : (a: Row, b: Row) => ascending(b, a);
  return [...rows].sort(compare).map((row) => row.id);
}

describe('GET /segments/attributes', () => {
  it('lists every attribute rules can read with its type, both labels, enum values and PI class', async () => {
    const response = await call(
      fixture.kequn,
      'GET',
      '/segments/attributes',
      await fixture.tokenFor('analyst'),
    );
    expect(response.status).toBe(200);
    const { attributes } = (await response.json()) as {
      attributes: {
        id: string;
        type: string;
        label: Record<string, string>;
        piClass: string;
        values?: { value: string; label: Record<string, string> }[];
      }[];
    };
    const table = fixture.state.model.table;
    expect(attributes.map((attribute) => attribute.id)).toEqual(table.attributeIds());
    for (const attribute of attributes) {
      const definition = table.column(attribute.id).definition;
      expect(attribute).toMatchObject({ type: definition.type, piClass: definition.piClass });
      expect(attribute.label).toEqual({
        'zh-CN': definition.label['zh-CN'],
        en: definition.label.en,
      });
      if (attribute.type === 'enum' && definition.open !== true)
        expect(attribute.values?.length, attribute.id).toBeGreaterThan(0);
    }
    expect(attributes.find((attribute) => attribute.id === 'assets.currentAum')).toMatchObject({
      type: 'money',
    });
  });

  it('is refused to a role without segments.read', async () => {
    const response = await call(
      fixture.kequn,
      'GET',
      '/segments/attributes',
      await fixture.tokenFor('auditor'),
    );
    expect(response.status).toBe(403);
  });
});

describe('GET /customers?sort=&order=', () => {
  it('walks any order page by page: every customer once, in order, with the total on every page', async () => {
    const manager = await fixture.tokenFor('manager');
    const branch = await fixture.tokenFor('branch_head', { branchId: 'BR001' });
    const baselines = new Map<string, Row[]>();
    for (const [who, token, filter] of [
      ['manager', manager, {}],
      ['branch', branch, { segment: 'tiering:mid' }],
    ] as const) {
      const { rows } = await walk(token, { ...filter, limit: '200' });
      baselines.set(who, rows);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('manager', 'branch'),
        fc.constantFrom('id', 'name', 'aum', 'tier'),
        fc.constantFrom('asc', 'desc'),
        fc.integer({ min: 7, max: 60 }),
        async (who, sort, order, limit) => {
          const baseline = baselines.get(who) ?? [];
          const token = who === 'manager' ? manager : branch;
          const filter: Record<string, string> =
            who === 'manager' ? {} : { segment: 'tiering:mid' };
          const { rows, totals } = await walk(token, {
            ...filter,
            sort,
            order,
            limit: String(limit),
          });
          expect(rows.map((row) => row.id)).toEqual(expectedOrder(baseline, sort, order));
          expect(new Set(totals)).toEqual(new Set([baseline.length]));
        },
      ),
      { numRuns: 12 },
    );
    expect(baselines.get('manager')?.length).toBeGreaterThan(0);
    expect(baselines.get('branch')?.length).toBeGreaterThan(0);
  });

  it('counts the filtered set, not the page: total with a name prefix and with a tier', async () => {
    const token = await fixture.tokenFor('head_office');
    const all = (await (
      await call(fixture.kequn, 'GET', '/customers?limit=1', token)
    ).json()) as Page;
    expect(all.total).toBe(fixture.state.rowsOfAll().length);
    const tier = await walk(token, { tier: 'high_end', sort: 'aum', order: 'desc', limit: '200' });
    expect(tier.totals[0]).toBe(tier.rows.length);
    expect(tier.rows.every((row) => row.tier === 'high_end')).toBe(true);
    const surname = fixture.state.nameAt(fixture.state.rowsOfAll()[0] ?? 0).slice(0, 1);
    const named = await walk(token, { q: surname, sort: 'name', limit: '50' });
    expect(named.totals[0]).toBe(named.rows.length);
    expect(named.rows.length).toBeGreaterThan(0);
  });

  it('refuses a cursor that names no listed customer when sorting by a value', async () => {
    const token = await fixture.tokenFor('head_office');
    const response = await call(
      fixture.kequn,
      'GET',
      '/customers?sort=aum&after=C999999999',
      token,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'KQ_SERVER_INVALID_REQUEST' });
    const unknownSort = await call(fixture.kequn, 'GET', '/customers?sort=phone', token);
    expect(unknownSort.status).toBe(400);
  });
});
