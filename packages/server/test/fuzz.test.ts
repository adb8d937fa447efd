// Random and malicious input at every route of the OpenAPI document: each answer is a success or a
// valid problem document, never a 500, and every request finishes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { problemSchema } from '@kequn/api';
import { call, createFixture, type Fixture } from './fixture.js';
import { exampleCampaign, examples } from './examples.js';

let fixture: Fixture;
let operations: { id: string; method: string; path: string }[];
let tokens: string[];

beforeAll(async () => {
  fixture = await createFixture({
    customers: 600,
    serverOptions: { limits: { bodyBytes: 256 * 1024 } },
  });
  const document = (await (
    await call(fixture.kequn, 'GET', '/openapi.json', undefined)
  ).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      id: operation.operationId,
      method: method.toUpperCase(),
      path,
    })),
  );
  // A running campaign, so campaign routes also meet a real id (see pathValue).
  const engine = fixture.state.campaigns.engine;
  await engine.create(exampleCampaign('fuzz-campaign'), { actor: 'head_office:planner' });
  for (const action of ['submit', 'approve', 'start'] as const)
    await engine.act('fuzz-campaign', action, {
      actor: action === 'approve' ? 'head_office:checker' : 'head_office:planner',
    });
  tokens = [
    await fixture.tokenFor('head_office'),
    await fixture.tokenFor('manager'),
    await fixture.tokenFor('analyst'),
  ];
});
afterAll(async () => {
  await fixture.close();
});

function deepRule(depth: number): unknown {
  let rule: unknown = { attribute: 'assets.currentAum', op: 'gte', value: 1 };
  for (let level = 0; level < depth; level++)
    rule = level % 2 === 0 ? { all: [rule] } : { not: rule };
  return rule;
}

/** A rule nested `depth` groups deep, as text: JSON.stringify itself would run out of stack. */
function deepRuleText(depth: number): string {
  return `${'{"all":['.repeat(depth)}{"attribute":"assets.currentAum","op":"gte","value":1}${']}'.repeat(depth)}`;
}

const maliciousBodies: string[] = [
  "' OR 1=1; DROP TABLE customers; --",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '\u0000\uFFFF\uD800',
  'x'.repeat(100_000),
  { __proto__: { admin: true } },
  { constructor: { prototype: { polluted: true } } },
  deepRule(30),
  {
    rule: {
      any: Array.from({ length: 5_000 }, () => ({
        attribute: 'profile.age',
        op: 'gte',
        value: 60,
      })),
    },
  },
  { segments: Array.from({ length: 500 }, () => 'tiering:mid') },
  { fields: ['phone'], reason: "'; DELETE FROM audit_log; --" },
  -1,
  1e308,
  Number.NaN,
  null,
]
  .map((body) => JSON.stringify(body))
  .concat(deepRuleText(5_000), `{"rule":${deepRuleText(2_000)}}`);

/**
 * Raw JSON bodies; built outside fast-check so it never has to print a 5,000-level value. Some
 * requests carry the route's valid example body instead, so valid input meets random paths and
 * queries too.
 */
const body = fc.oneof(
  fc.nat(maliciousBodies.length - 1).map((index) => ({ index })),
  fc.jsonValue({ maxDepth: 4 }).map((json) => ({ json: JSON.stringify(json) ?? 'null' })),
  fc.constant({ example: true as const }),
);
const validBodies = examples('tiering:mid');
const pathValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    'C000000001',
    'fuzz-campaign',
    '..',
    '%00',
    "1' OR '1'='1",
    '<b>x</b>',
    'x'.repeat(5_000),
  ),
);
const queryValue = fc.dictionary(
  fc.constantFrom(
    'q',
    'limit',
    'after',
    'segment',
    'tier',
    'featuredGroup',
    'from',
    'to',
    'date',
    'status',
    'managerId',
    'branchId',
    'actor',
    'asOf',
  ),
  fc.oneof(
    fc.string({ maxLength: 100 }),
    fc.constantFrom('-1', '1e9', "' OR 1=1 --", '<script>', 'tiering:mid', '2026-13-45'),
  ),
);

async function checkResponse(response: Response, where: string): Promise<void> {
  expect(response.status, where).not.toBe(500);
  expect(response.status, where).toBeLessThan(500);
  const text = await response.text();
  if (response.status >= 400) {
    expect(response.headers.get('content-type'), where).toBe('application/problem+json');
    expect(problemSchema.safeParse(JSON.parse(text)).success, where).toBe(true);
  }
}

describe('fuzzing every route', () => {
  it('answers random and malicious bodies, queries and path values with success or a problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(2),
        pathValue,
        queryValue,
        body,
        fc.boolean(),
        async (pick, who, segment, query, generated, rawBody) => {
          const operation = operations[pick % operations.length];
          if (operation === undefined) return;
          const path = operation.path.replace(/\{[A-Za-z0-9_]+\}/g, () =>
            encodeURIComponent(segment),
          );
          const search = new URLSearchParams(query).toString();
          const url = `${path}${search === '' ? '' : `?${search}`}`;
          const token = tokens[who];
          const where = `${operation.method} ${url.slice(0, 200)}`;
          if (rawBody && operation.method !== 'GET') {
            const response = await fixture.kequn.fetch(
              new Request(`http://kequn.test${url}`, {
                method: operation.method,
                headers: {
                  authorization: `Bearer ${token ?? ''}`,
                  'content-type': 'application/json',
                },
                body: '{"rule":' + '['.repeat(50_000),
              }),
            );
            await checkResponse(response, where);
            return;
          }
          const text =
            'index' in generated
              ? (maliciousBodies[generated.index] ?? '{}')
              : 'json' in generated
                ? generated.json
                : JSON.stringify(validBodies[operation.id]?.body ?? {});
          const response = await fixture.kequn.fetch(
            new Request(`http://kequn.test${url}`, {
              method: operation.method,
              headers: {
                authorization: `Bearer ${token ?? ''}`,
                'content-type': 'application/json',
              },
              ...(operation.method === 'GET' ? {} : { body: text }),
            }),
          );
          await checkResponse(response, where);
        },
      ),
      { numRuns: 400, seed: 20261031 },
    );
  });

  it('refuses a body over the size limit with 413', async () => {
    const token = tokens[0];
    const response = await call(fixture.kequn, 'POST', '/segments/validate', token, {
      rule: 'x'.repeat(300 * 1024),
    });
    expect(response.status).toBe(413);
    await checkResponse(response, 'oversized');
  });

  it('refuses a rule deeper than the limit with a problem naming the depth', async () => {
    const response = await call(fixture.kequn, 'POST', '/segments/preview', tokens[0], {
      rule: deepRule(40),
    });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { code: string }).code).toBe('KQ_SEGMENT_RULE_TOO_DEEP');
  });
});
