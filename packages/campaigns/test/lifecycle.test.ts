// A campaign's life cycle: draft → pending approval → approved → running ⇄ paused → completed, four
// eyes on approval, every move in the campaign's own record and in the store's audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignError, type CampaignAction } from '../src/index.js';
import {
  CHECKER,
  MAKER,
  MONDAY_10,
  REMINDER_TYPE,
  openBank,
  outboxRows,
  syntheticCustomers,
  withMarketingConsent,
  type Bank,
} from './fixtures.js';

function refusal(promise: Promise<unknown>): Promise<CampaignError> {
  return promise.then(
    () => {
      throw new Error('expected the engine to refuse');
    },
    (error: unknown) => {
      if (error instanceof CampaignError) return error;
      throw error;
    },
  );
}

describe('campaign life cycle', () => {
  let bank: Bank;
  beforeAll(async () => {
    bank = await openBank({
      customers: syntheticCustomers(11, 300, (customer) => withMarketingConsent(customer, ['sms'])),
    });
  });
  afterAll(() => bank.dispose());

  it('moves draft → pending approval → approved → running → paused → running → completed with approvals recorded', async () => {
    const { engine, store, clock } = bank;
    const changes = bank.test.record('campaign.statusChanged');
    const id = 'life-cycle';
    clock.now = '2026-11-02T09:00:00+08:00';
    const draft = await engine.create(
      { id, type: REMINDER_TYPE, name: { 'zh-CN': '生命周期', en: 'Life cycle' }, parameters: {} },
      MAKER,
    );
    expect(draft).toMatchObject({ status: 'draft', stage: 'plan', createdBy: MAKER.actor });

    clock.now = '2026-11-02T09:10:00+08:00';
    expect(await engine.submit(id, MAKER)).toMatchObject({
      status: 'pending_approval',
      stage: 'distribution',
    });

    const selfApproval = await refusal(engine.approve(id, MAKER));
    expect(selfApproval.code).toBe('KQ_CAMPAIGN_APPROVER');
    expect((await engine.get(id)).status).toBe('pending_approval');

    clock.now = '2026-11-02T09:20:00+08:00';
    expect(await engine.approve(id, { ...CHECKER, note: '同意' })).toMatchObject({
      status: 'approved',
      stage: 'reach',
    });

    clock.now = MONDAY_10;
    const running = await engine.start(id, CHECKER);
    expect(running).toMatchObject({ status: 'running', stage: 'execution' });
    const counts = await engine.campaigns.enrolmentCounts(id);
    expect(counts.reduce((sum, row) => sum + row.count, 0)).toBe(await engine.audienceSize(id));

    await engine.runDue({ now: MONDAY_10 });
    const invited = (await outboxRows(store)).filter((row) => row.campaignId === id);
    expect(invited.length).toBeGreaterThan(0);
    expect(new Set(invited.map((row) => row.stepId))).toEqual(new Set(['invite']));

    // Paused campaigns do nothing: the reminder due two days later waits for the resume.
    clock.now = '2026-11-03T10:00:00+08:00';
    expect(await engine.pause(id, { actor: 'ops.zhao' })).toMatchObject({ status: 'paused' });
    const whilePaused = await engine.runDue({ now: '2026-11-05T10:00:00+08:00' });
    expect(whilePaused.enrolments).toBe(0);
    expect((await outboxRows(store)).filter((row) => row.stepId === 'reminder')).toEqual([]);
    const enrolWhilePaused = await refusal(
      engine.enrol(id, [bank.customers[0]?.id ?? ''], { source: 'api' }),
    );
    expect(enrolWhilePaused.code).toBe('KQ_CAMPAIGN_NOT_RUNNING');

    clock.now = '2026-11-05T10:00:00+08:00';
    expect(await engine.resume(id, { actor: 'ops.zhao' })).toMatchObject({
      status: 'running',
      stage: 'execution',
    });
    await engine.runDue({ now: '2026-11-05T10:00:00+08:00' });
    expect((await outboxRows(store)).filter((row) => row.stepId === 'reminder').length).toBe(
      invited.length,
    );

    clock.now = '2026-11-06T10:00:00+08:00';
    const completed = await engine.complete(id, { actor: 'ops.zhao', note: '活动结束' });
    expect(completed).toMatchObject({ status: 'completed', stage: 'review' });

    expect(completed.lifecycle).toEqual([
      { from: null, to: 'draft', actor: MAKER.actor, at: '2026-11-02T09:00:00+08:00' },
      {
        from: 'draft',
        to: 'pending_approval',
        actor: MAKER.actor,
        at: '2026-11-02T09:10:00+08:00',
      },
      {
        from: 'pending_approval',
        to: 'approved',
        actor: CHECKER.actor,
        at: '2026-11-02T09:20:00+08:00',
        note: '同意',
      },
      { from: 'approved', to: 'running', actor: CHECKER.actor, at: MONDAY_10 },
      { from: 'running', to: 'paused', actor: 'ops.zhao', at: '2026-11-03T10:00:00+08:00' },
      { from: 'paused', to: 'running', actor: 'ops.zhao', at: '2026-11-05T10:00:00+08:00' },
      {
        from: 'running',
        to: 'completed',
        actor: 'ops.zhao',
        at: '2026-11-06T10:00:00+08:00',
        note: '活动结束',
      },
    ]);
    expect(changes.map((change) => [change.from, change.to])).toEqual([
      [null, 'draft'],
      ['draft', 'pending_approval'],
      ['pending_approval', 'approved'],
      ['approved', 'running'],
      ['running', 'paused'],
      ['paused', 'running'],
      ['running', 'completed'],
    ]);

    const audit = await store.auditLog.list({ subject: `campaign:${id}` });
    expect(
      audit.map((entry) => [entry.actor, entry.action, entry.details?.['action'] ?? null]),
    ).toEqual([
      [MAKER.actor, 'create', null],
      [MAKER.actor, 'update', 'submit'],
      [CHECKER.actor, 'update', 'approve'],
      [CHECKER.actor, 'update', 'start'],
      ['ops.zhao', 'update', 'pause'],
      ['ops.zhao', 'update', 'resume'],
      ['ops.zhao', 'update', 'complete'],
    ]);
    expect(audit[2]?.details).toMatchObject({
      from: 'pending_approval',
      to: 'approved',
      note: '同意',
    });

    // A completed campaign is kept, read back the same from the store.
    expect(await engine.get(id)).toEqual(completed);
    expect(await engine.list('completed')).toEqual([completed]);
  });

  it('refuses every move the current status does not allow, with KQ_CAMPAIGN_TRANSITION, and changes nothing', async () => {
    const { engine, store } = bank;
    const id = 'transitions';
    await engine.create(
      { id, type: REMINDER_TYPE, name: { 'zh-CN': '状态', en: 'Status' }, parameters: {} },
      MAKER,
    );
    const attempts: Record<string, CampaignAction[]> = {
      draft: ['approve', 'reject', 'start', 'pause', 'resume', 'complete'],
      pending_approval: ['submit', 'start', 'pause', 'resume', 'complete'],
      approved: ['submit', 'approve', 'reject', 'pause', 'resume', 'complete'],
      running: ['submit', 'approve', 'reject', 'start', 'resume'],
      paused: ['submit', 'approve', 'reject', 'start', 'pause'],
      completed: ['submit', 'approve', 'reject', 'start', 'pause', 'resume', 'complete', 'cancel'],
    };
    const act = (action: CampaignAction) => {
      const by = action === 'approve' ? CHECKER : MAKER;
      return action === 'submit'
        ? engine.submit(id, by)
        : action === 'approve'
          ? engine.approve(id, by)
          : action === 'reject'
            ? engine.reject(id, by)
            : action === 'start'
              ? engine.start(id, by)
              : action === 'pause'
                ? engine.pause(id, by)
                : action === 'resume'
                  ? engine.resume(id, by)
                  : action === 'complete'
                    ? engine.complete(id, by)
                    : engine.cancel(id, by);
    };
    const path: CampaignAction[] = ['submit', 'approve', 'start', 'pause', 'complete'];
    const statuses = ['draft', 'pending_approval', 'approved', 'running', 'paused', 'completed'];
    for (const [step, status] of statuses.entries()) {
      const before = await engine.get(id);
      expect(before.status).toBe(status);
      const auditBefore = (await store.auditLog.list({ subject: `campaign:${id}` })).length;
      for (const action of attempts[status] ?? []) {
        const error = await refusal(act(action));
        expect(error.code, `${action} from ${status}`).toBe('KQ_CAMPAIGN_TRANSITION');
        expect(error.message).toContain(status);
      }
      expect(await engine.get(id)).toEqual(before);
      expect((await store.auditLog.list({ subject: `campaign:${id}` })).length).toBe(auditBefore);
      const next = path[step];
      if (next !== undefined) await act(next);
    }
  });

  it('lets a rejected campaign go back to draft and a cancelled one stay cancelled', async () => {
    const { engine } = bank;
    await engine.create(
      {
        id: 'rejected',
        type: REMINDER_TYPE,
        name: { 'zh-CN': '驳回', en: 'Rejected' },
        parameters: {},
      },
      MAKER,
    );
    await engine.submit('rejected', MAKER);
    expect(await engine.reject('rejected', { ...CHECKER, note: '文案需修改' })).toMatchObject({
      status: 'draft',
      stage: 'plan',
    });
    expect(await engine.cancel('rejected', MAKER)).toMatchObject({
      status: 'cancelled',
      stage: 'review',
    });
    expect((await refusal(engine.submit('rejected', MAKER))).code).toBe('KQ_CAMPAIGN_TRANSITION');
  });

  it('refuses unknown types, duplicate ids, unknown campaigns and invalid parameters with their codes', async () => {
    const { engine } = bank;
    const name = { 'zh-CN': '测试', en: 'Test' };
    expect(
      (
        await refusal(
          engine.create({ id: 'nope', type: 'no-such-type', name, parameters: {} }, MAKER),
        )
      ).code,
    ).toBe('KQ_CAMPAIGN_TYPE_UNKNOWN');
    expect(
      (
        await refusal(
          engine.create({ id: 'Bad Id', type: REMINDER_TYPE, name, parameters: {} }, MAKER),
        )
      ).code,
    ).toBe('KQ_CAMPAIGN_INPUT_INVALID');
    expect(
      (
        await refusal(
          engine.create(
            { id: 'bad-params', type: REMINDER_TYPE, name, parameters: { waitDays: 0 } },
            MAKER,
          ),
        )
      ).message,
    ).toContain('parameters.waitDays');
    await engine.create({ id: 'twice', type: REMINDER_TYPE, name, parameters: {} }, MAKER);
    expect(
      (
        await refusal(
          engine.create({ id: 'twice', type: REMINDER_TYPE, name, parameters: {} }, MAKER),
        )
      ).code,
    ).toBe('KQ_CAMPAIGN_EXISTS');
    expect((await refusal(engine.submit('never-created', MAKER))).code).toBe('KQ_CAMPAIGN_UNKNOWN');
  });
});
