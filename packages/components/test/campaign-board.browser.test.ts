import { afterEach, describe, expect, inject, it } from 'vitest';
import '../src/define/kq-campaign-board.js';
import type { KqCampaignBoard } from '../src/index.js';
import {
  axeViolations,
  cleanup,
  clientFor,
  mount,
  nextEvent,
  shadow,
  until,
  type DemoRole,
  type DemoUser,
} from './browser-helpers.js';

afterEach(cleanup);

const MAKER = { branchId: 'BR001', userId: 'browser-maker' };
const CHECKER = { branchId: 'BR001', userId: 'browser-checker' };

async function draftCampaign(id: string, submitted: boolean): Promise<void> {
  const maker = await clientFor('operations_manager', MAKER);
  await maker.call('campaigns.create', {
    body: {
      id,
      type: 'maturity-remarketing',
      name: { 'zh-CN': `到期再营销 ${id}`, en: `Maturity re-marketing ${id}` },
      parameters: {},
    },
  });
  if (submitted)
    await maker.call('campaigns.act', { params: { campaignId: id }, body: { action: 'submit' } });
}

async function board(lang: string, role: DemoRole, user: DemoUser): Promise<KqCampaignBoard> {
  const element = mount<KqCampaignBoard>(
    '<kq-campaign-board></kq-campaign-board>',
    'kq-campaign-board',
    lang,
  );
  element.client = await clientFor(role, user);
  await until(
    () => element.loadStatus === 'ready' && shadow(element).querySelector('[part~="board"]'),
    'the board',
  );
  return element;
}

function card(element: KqCampaignBoard, campaignId: string): HTMLElement {
  const found = shadow(element).querySelector<HTMLElement>(`[data-campaign="${campaignId}"]`);
  if (found === null) throw new Error(`no card for ${campaignId}`);
  return found;
}

function stageOf(element: KqCampaignBoard, campaignId: string): string | null {
  return card(element, campaignId).closest('[data-stage]')?.getAttribute('data-stage') ?? null;
}

async function act(element: KqCampaignBoard, campaignId: string, action: string) {
  const done = nextEvent<
    CustomEvent<{ campaignId: string; action: string; status: string; stage: string }>
  >(document, 'kq-campaign-action');
  card(element, campaignId).querySelector<HTMLButtonElement>(`[data-action="${action}"]`)?.click();
  const { detail } = await done;
  await element.updateComplete;
  return detail;
}

describe('kq-campaign-board', () => {
  it('lays campaigns out by 5×5 stage and status, and moves one as the server answers, in zh-CN', async () => {
    await draftCampaign('board-submit', false);
    const element = await board('zh-CN', 'operations_manager', MAKER);
    const run = inject('runCampaignId');
    expect(stageOf(element, run)).toBe('execution');
    expect(card(element, run).querySelector('[part="status-badge"]')?.textContent).toBe('进行中');
    expect(stageOf(element, 'board-submit')).toBe('plan');
    const headings = Array.from(shadow(element).querySelectorAll('[part~="stage"] h3')).map((h) =>
      h.textContent?.trim().replace(/（\d+）$/, ''),
    );
    expect(headings).toEqual(['服务方案', '精准分发', '客户触达', '营销实施', '跟踪回检']);
    expect(card(element, 'board-submit').querySelector('.meta')?.textContent).toContain(
      '到期再营销',
    );
    expect(await axeViolations(element)).toEqual([]);

    expect(await act(element, 'board-submit', 'submit')).toEqual({
      campaignId: 'board-submit',
      action: 'submit',
      status: 'pending_approval',
      stage: 'distribution',
    });
    expect(stageOf(element, 'board-submit')).toBe('distribution');
    expect(
      card(element, 'board-submit').querySelector('[part="card-status"]')?.textContent,
    ).toContain('提交审批成功，当前状态：待审批');
    expect(shadow(element).activeElement?.getAttribute('part')).toBe('card-status');

    // The operations manager may not approve: the server's 403 is shown on the card, nothing moves.
    const refused = nextEvent<CustomEvent<{ status: number | null; code: string }>>(
      document,
      'kq-error',
    );
    card(element, 'board-submit')
      .querySelector<HTMLButtonElement>('[data-action="approve"]')
      ?.click();
    expect((await refused).detail.status).toBe(403);
    await element.updateComplete;
    expect(
      card(element, 'board-submit').querySelector('[part="card-status"]')?.textContent,
    ).toContain('无权执行此操作');
    expect(card(element, 'board-submit').dataset['status']).toBe('pending_approval');
    expect(await axeViolations(element)).toEqual([]);
  });

  it('enforces four eyes, approves by another person, starts, pauses and resumes, in English', async () => {
    await draftCampaign('board-approve', true);
    const creatorAsApprover = await board('en', 'branch_head', MAKER);
    const refused = nextEvent<CustomEvent<{ code: string }>>(document, 'kq-error');
    card(creatorAsApprover, 'board-approve')
      .querySelector<HTMLButtonElement>('[data-action="approve"]')
      ?.click();
    expect((await refused).detail.code).toBe('KQ_CAMPAIGN_APPROVER');
    await creatorAsApprover.updateComplete;
    expect(
      card(creatorAsApprover, 'board-approve').querySelector('[part="card-status"]')?.textContent,
    ).toContain('The creator of a campaign cannot approve it');
    cleanup();

    const element = await board('en', 'branch_head', CHECKER);
    expect(await act(element, 'board-approve', 'approve')).toMatchObject({
      status: 'approved',
      stage: 'reach',
    });
    expect(await act(element, 'board-approve', 'start')).toMatchObject({
      status: 'running',
      stage: 'execution',
    });
    expect(await act(element, 'board-approve', 'pause')).toMatchObject({ status: 'paused' });
    expect(card(element, 'board-approve').querySelector('[part="status-badge"]')?.textContent).toBe(
      'Paused',
    );
    expect(await act(element, 'board-approve', 'resume')).toMatchObject({ status: 'running' });
    const stored = await (
      await clientFor()
    ).call('campaigns.get', { params: { campaignId: 'board-approve' } });
    expect(stored.lifecycle.map((entry) => entry.to)).toEqual([
      'draft',
      'pending_approval',
      'approved',
      'running',
      'paused',
      'running',
    ]);
    expect(await axeViolations(element)).toEqual([]);
  });

  it('rejects with a required reason and opens a campaign, in English', async () => {
    await draftCampaign('board-reject', true);
    const element = await board('en', 'branch_head', CHECKER);
    card(element, 'board-reject')
      .querySelector<HTMLButtonElement>('[data-action="reject"]')
      ?.click();
    const field = await until(
      () => card(element, 'board-reject').querySelector('textarea'),
      'the reason field',
    );
    await until(() => shadow(element).activeElement === field, 'focus on the reason');
    card(element, 'board-reject').querySelector('form')?.requestSubmit();
    await element.updateComplete;
    expect(
      card(element, 'board-reject').querySelector('textarea')?.getAttribute('aria-invalid'),
    ).toBe('true');
    expect(card(element, 'board-reject').textContent).toContain('Give a reason for rejecting');
    expect(await axeViolations(element)).toEqual([]);
    const again = card(element, 'board-reject').querySelector('textarea');
    if (again === null) throw new Error('the form closed');
    again.value = 'audience too broad for the budget';
    again.dispatchEvent(new InputEvent('input', { bubbles: true }));
    const done = nextEvent<CustomEvent<{ status: string; stage: string }>>(
      document,
      'kq-campaign-action',
    );
    card(element, 'board-reject').querySelector('form')?.requestSubmit();
    expect((await done).detail).toMatchObject({ status: 'draft', stage: 'plan' });
    await element.updateComplete;
    expect(stageOf(element, 'board-reject')).toBe('plan');
    const stored = await (
      await clientFor()
    ).call('campaigns.get', { params: { campaignId: 'board-reject' } });
    expect(stored.lifecycle.at(-1)).toMatchObject({
      to: 'draft',
      note: 'audience too broad for the budget',
    });

    const opened = nextEvent<CustomEvent<{ campaignId: string }>>(document, 'kq-campaign-select');
    card(element, 'board-reject').querySelector<HTMLButtonElement>('[part="open-button"]')?.click();
    expect((await opened).detail.campaignId).toBe('board-reject');
  });
});
