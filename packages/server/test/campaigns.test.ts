// Campaigns over HTTP with the typed client: create → submit → approve by another person → start →
// run (server-sent progress) → report; four eyes, data scope by branch, engine errors as problems,
// approvals in the audit trail, and the campaign tables in the SQL store's own database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKequnClient,
  inProcessTransport,
  ProblemError,
  type KequnClient,
} from '@kequn/client';
import type { CampaignRunEvent, Role } from '@kequn/api';
import { CampaignStore } from '@kequn/campaigns';
import { openSqliteStore } from '@kequn/store-sqlite';
import { BankState, seedSyntheticBank } from '../src/index.js';
import { AS_OF, call, createFixture, NOW, type Fixture } from './fixture.js';
import { customerIdsIn, exampleCampaign } from './examples.js';

let fixture: Fixture;
beforeAll(async () => {
  fixture = await createFixture({ customers: 800 });
});
afterAll(async () => {
  await fixture.close();
});

async function clientAs(
  role: Role,
  extra: { branchId?: string; managerId?: string; userId?: string } = {},
): Promise<{ client: KequnClient; userId: string }> {
  const response = await call(fixture.kequn, 'POST', '/auth/dev-token', undefined, {
    role,
    ...extra,
  });
  const issued = (await response.json()) as { token: string; principal: { userId: string } };
  return {
    client: createKequnClient({
      baseUrl: 'http://kequn.test',
      transport: inProcessTransport(fixture.kequn.fetch),
      token: issued.token,
      validateResponses: true,
    }),
    userId: issued.principal.userId,
  };
}

async function failureOf(work: Promise<unknown>): Promise<ProblemError> {
  const failure = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(failure instanceof ProblemError))
    throw new Error(`expected a problem, got ${String(failure)}`);
  return failure;
}

describe('a campaign from creation to report over the typed client', () => {
  it('creates, submits, is approved by someone else, starts, runs with progress and reports aggregates', async () => {
    const maker = await clientAs('operations_manager', { branchId: 'BR001' });
    const checker = await clientAs('branch_head', { branchId: 'BR001' });
    expect(checker.userId).not.toBe(maker.userId);

    const types = await maker.client.call('campaigns.types');
    expect(types.types.map((type) => type.id)).toEqual(
      expect.arrayContaining([
        'threshold-reward',
        'maturity-remarketing',
        'dormant-activation',
        'referral',
        'event-invitation',
        'upgrade-congratulation',
      ]),
    );

    const created = await maker.client.call('campaigns.create', {
      body: exampleCampaign('flow-threshold'),
    });
    expect(created).toMatchObject({ status: 'draft', branchId: 'BR001', stage: 'plan' });
    expect(created.createdBy).toBe(`operations_manager:${maker.userId}`);

    const audience = await maker.client.call('campaigns.audience', {
      params: { campaignId: created.id },
    });
    expect(audience.customers).toBeGreaterThan(0);

    await maker.client.call('campaigns.act', {
      params: { campaignId: created.id },
      body: { action: 'submit' },
    });
    // An operations manager may manage but not approve.
    const notApprover = await failureOf(
      maker.client.call('campaigns.act', {
        params: { campaignId: created.id },
        body: { action: 'approve' },
      }),
    );
    expect([notApprover.status, notApprover.code]).toEqual([403, 'KQ_SERVER_FORBIDDEN']);
    // The creator under a role that may approve is still the creator.
    const sameUser = await clientAs('branch_head', { branchId: 'BR001', userId: maker.userId });
    const fourEyes = await failureOf(
      sameUser.client.call('campaigns.act', {
        params: { campaignId: created.id },
        body: { action: 'approve' },
      }),
    );
    expect([fourEyes.status, fourEyes.code]).toEqual([403, 'KQ_CAMPAIGN_APPROVER']);

    const approved = await checker.client.call('campaigns.act', {
      params: { campaignId: created.id },
      body: { action: 'approve', note: 'budget confirmed' },
    });
    expect(approved.status).toBe('approved');
    expect(approved.lifecycle.at(-1)).toMatchObject({
      from: 'pending_approval',
      to: 'approved',
      actor: `branch_head:${checker.userId}`,
      note: 'budget confirmed',
    });

    const started = await maker.client.call('campaigns.act', {
      params: { campaignId: created.id },
      body: { action: 'start' },
    });
    expect(started.status).toBe('running');

    const events: CampaignRunEvent[] = [];
    for await (const event of maker.client.stream('campaigns.run', {
      params: { campaignId: created.id },
      body: {},
    }))
      events.push(event);
    expect(events[0]?.type).toBe('started');
    const complete = events.at(-1);
    if (complete?.type !== 'complete') throw new Error(`expected complete, got ${complete?.type}`);
    const progress = events.filter((event) => event.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    // What the run did, as the store records it: one first step per treated enrolment.
    const stored = new CampaignStore(fixture.state.campaigns.store.sql);
    const counts = await stored.stepCounts(created.id);
    const ran = (outcome: string) =>
      counts
        .filter((count) => count.outcome === outcome)
        .reduce((sum, count) => sum + count.count, 0);
    expect(complete.sent).toBe(ran('sent'));
    expect(complete.suppressed).toBe(ran('suppressed'));
    expect(complete.sent + complete.suppressed + complete.deferred).toBeGreaterThan(0);

    const report = await checker.client.call('campaigns.report', {
      params: { campaignId: created.id },
    });
    expect(report.enrolled).toBeGreaterThan(0);
    expect(report.funnel[0]?.sent).toBe(complete.sent);
    expect(report.cohorts.map((cohort) => cohort.cohort)).toContain('holdout');

    // An analyst reads the report; it names no customer.
    const analyst = await clientAs('analyst');
    const analystView = await analyst.client.call('campaigns.report', {
      params: { campaignId: created.id },
      query: { asOf: '2026-12-01T10:00:00+08:00' },
    });
    expect(customerIdsIn(analystView).size).toBe(0);

    // The approval is in the audit trail, named by role and user.
    const auditor = await clientAs('auditor');
    const trail = await auditor.client.call('audit.list', {
      query: { subject: `campaign:${created.id}` },
    });
    expect(trail.items).toContainEqual(
      expect.objectContaining({
        actor: `branch_head:${checker.userId}`,
        action: 'update',
        details: expect.objectContaining({ action: 'approve', from: 'pending_approval' }),
      }),
    );
    expect(trail.items.map((item) => item.details?.['action'])).toEqual(
      expect.arrayContaining(['submit', 'approve', 'start', 'run']),
    );
  });
});

describe('campaign scope and errors', () => {
  it('shows a branch its own and head-office campaigns only, and 404 for another branch’s', async () => {
    const br1 = await clientAs('branch_head', { branchId: 'BR001' });
    const br2 = await clientAs('branch_head', { branchId: 'BR002' });
    const head = await clientAs('head_office');
    await br1.client.call('campaigns.create', { body: exampleCampaign('scope-br001') });
    await head.client.call('campaigns.create', { body: exampleCampaign('scope-head') });

    const seen = (await br2.client.call('campaigns.list')).items.map((campaign) => campaign.id);
    expect(seen).toContain('scope-head');
    expect(seen).not.toContain('scope-br001');
    const hidden = await failureOf(
      br2.client.call('campaigns.get', { params: { campaignId: 'scope-br001' } }),
    );
    expect([hidden.status, hidden.code]).toEqual([404, 'KQ_SERVER_NOT_FOUND']);
    const unknown = await failureOf(
      br2.client.call('campaigns.get', { params: { campaignId: 'no-such-campaign' } }),
    );
    // Hidden and missing read alike, so the answer does not reveal that the campaign exists.
    expect(unknown.problem.detail?.replace('no-such-campaign', 'ID')).toBe(
      hidden.problem.detail?.replace('scope-br001', 'ID'),
    );
    expect((await head.client.call('campaigns.list')).items.map((campaign) => campaign.id)).toEqual(
      expect.arrayContaining(['scope-br001', 'scope-head']),
    );
    const elsewhere = await failureOf(
      br2.client.call('campaigns.create', {
        body: exampleCampaign('scope-elsewhere', { branchId: 'BR001' }),
      }),
    );
    expect([elsewhere.status, elsewhere.code]).toEqual([403, 'KQ_SERVER_FORBIDDEN']);

    const auditor = await clientAs('auditor');
    const refused = await failureOf(auditor.client.call('campaigns.list'));
    expect(refused.status).toBe(403);
    const manager = await clientAs('manager');
    const managerCreates = await failureOf(
      manager.client.call('campaigns.create', { body: exampleCampaign('by-manager') }),
    );
    expect(managerCreates.status).toBe(403);
  });

  it('answers engine errors with their codes', async () => {
    const head = await clientAs('head_office');
    const cases: Array<[Promise<unknown>, number, string]> = [
      [
        head.client.call('campaigns.create', {
          body: exampleCampaign('bad-parameters', { parameters: { bar: 'fifty thousand' } }),
        }),
        422,
        'KQ_CAMPAIGN_PARAMETERS_INVALID',
      ],
      [
        head.client.call('campaigns.create', {
          body: exampleCampaign('bad-type', { type: 'lottery' }),
        }),
        422,
        'KQ_CAMPAIGN_TYPE_UNKNOWN',
      ],
      [
        head.client.call('campaigns.create', { body: exampleCampaign('scope-head') }),
        409,
        'KQ_CAMPAIGN_EXISTS',
      ],
      [
        head.client.call('campaigns.act', {
          params: { campaignId: 'scope-head' },
          body: { action: 'resume' },
        }),
        409,
        'KQ_CAMPAIGN_TRANSITION',
      ],
    ];
    for (const [work, status, code] of cases) {
      const failure = await failureOf(work);
      expect([failure.status, failure.code]).toEqual([status, code]);
    }
    // Streams refuse before they start: a draft does not run.
    const draft = await call(
      fixture.kequn,
      'POST',
      '/campaigns/scope-head/runs',
      await fixture.tokenFor('head_office'),
      {},
    );
    expect(draft.status).toBe(409);
    expect(((await draft.json()) as { code: string }).code).toBe('KQ_CAMPAIGN_NOT_RUNNING');
    const invalid = await call(
      fixture.kequn,
      'POST',
      '/campaigns',
      await fixture.tokenFor('head_office'),
      { id: 'Not An Id', type: 'threshold-reward', name: { 'zh-CN': 'x', en: 'x' } },
    );
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe(
      'body.id',
    );
  });
});

describe('campaign tables on a SQL store', () => {
  it('live in the store’s own database, created by the server on open', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    try {
      await seedSyntheticBank(store, { customers: 200, seed: 3, asOf: AS_OF });
      const state = await BankState.open({ store, asOf: AS_OF, now: () => NOW });
      try {
        expect(state.campaigns.store).toBe(store);
        await state.campaigns.engine.create(exampleCampaign('sql-threshold'), {
          actor: 'head_office:planner',
        });
        const rows = await store.sql.query('SELECT id FROM campaign_definitions');
        expect(rows.map((row) => row['id'])).toEqual(['sql-threshold']);
        const audit = await store.auditLog.list({ subject: 'campaign:sql-threshold' });
        expect(audit.map((entry) => entry.action)).toEqual(['create']);
      } finally {
        await state.close();
      }
    } finally {
      await store.close();
    }
  });
});
