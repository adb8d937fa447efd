import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromEpochDay, toEpochDay } from '@kequn/core';
import { createTestKernel } from '@kequn/testing';
import { planCampaign, type CampaignPlan } from '@kequn/campaigns';
import { OperatorRegistry, createSegmentEngine, tableAttributes, typeCheckRule } from '@kequn/segments';
import { EVENT_INVITATION_CAMPAIGN_TYPE, eventInvitationCampaignType, eventInvitationPlugin } from '../src/index.js';

function plan(parameters: unknown): CampaignPlan {
  return planCampaign(EVENT_INVITATION_CAMPAIGN_TYPE, eventInvitationCampaignType, parameters).plan;
}


/**
 * Walks the journey as the engine would for one customer who has (or has not) registered, and returns
 * the day after enrolment each send happens. Tasks take no time; waits take their duration.
 */
function sendDays(campaignPlan: CampaignPlan, registered: boolean): Map<string, number> {
  const days = new Map<string, number>();
  let day = 0;
  let index = 0;
  while (index < campaignPlan.journey.length) {
    const step = campaignPlan.journey[index];
    if (step === undefined) break;
    if (step.type === 'exit') break;
    if (step.type === 'send') days.set(step.id, day);
    if (step.type === 'wait') day += step.duration?.days ?? 0;
    if (step.type === 'branch') {
      const taken = 'responded' in step.if && step.if.responded.includes('registered') && registered ? step.then : step.else;
      if (taken === null) break;
      index = campaignPlan.journey.findIndex((candidate) => candidate.id === taken);
      continue;
    }
    index++;
  }
  return days;
}

function scheduleDate(campaignPlan: CampaignPlan): string {
  const [trigger] = campaignPlan.triggers;
  if (trigger?.type !== 'schedule') throw new Error('an event invitation enrols on a schedule date');
  const [date] = trigger.dates;
  if (date === undefined) throw new Error('the schedule has a date');
  return date;
}

describe('event-invitation campaign type (沙龙/讲座/预约来访)', () => {
  it('registers in a kernel and plans a valid appointment campaign from an event date alone', async () => {
    const t = await createTestKernel({ plugins: [eventInvitationPlugin] });
    const implementation = await t.kernel.campaignTypes.get(EVENT_INVITATION_CAMPAIGN_TYPE);
    const { plan: planned } = planCampaign(EVENT_INVITATION_CAMPAIGN_TYPE, implementation, { eventDate: '2026-11-20' });
    expect(planned.triggers).toEqual([{ type: 'schedule', dates: ['2026-11-10'] }]);
    expect(planned.goal.criterion).toEqual({ response: 'attended', atLeast: 1 });
    expect(planned.journey.map((step) => step.id)).toEqual(['invite', 'wait-reply', 'registered', 'invite-call', 'wait-event', 'coming', 'reminder']);
    const invite = planned.journey[0];
    if (invite?.type !== 'send') throw new Error('the journey opens with the invitation');
    expect(invite.template.text['zh-CN']).toContain('个人理财规划成长');
    expect(invite.template.text['zh-CN']).toContain('11月20日(周五)');
    expect(invite.template.text['zh-CN']).toContain('10:00–11:00或14:30–15:30');
    expect(invite.template.text['zh-CN'].endsWith('回复TD退订')).toBe(true);
    expect(invite.template.text.en).toContain('Friday 20 November 2026');
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('refuses parameters with an error naming the field', () => {
    expect(() => plan({})).toThrow('parameters.eventDate');
    expect(() => plan({ eventDate: '2026-11-20', inviteDaysBefore: 5, registrationDays: 4 })).toThrow('parameters.registrationDays');
    expect(() => plan({ eventDate: '2026-11-20', timeSlots: [{ start: '10:00', end: '11:00' }, { start: '10:00', end: '12:00' }] })).toThrow('parameters.timeSlots[1].start');
    expect(() => plan({ eventDate: '2026-11-20', timeSlots: [{ start: '11:00', end: '10:00' }, { start: '14:00', end: '15:00' }] })).toThrow('parameters.timeSlots[0].end');
    expect(() => plan({ eventDate: '2026-11-20', timeSlots: [{ start: '25:00', end: '26:00' }, { start: '14:00', end: '15:00' }] })).toThrow('parameters.timeSlots[0].start');
    expect(() => plan({ eventDate: '2026-11-20', wealthHoldersOnly: false })).toThrow('parameters.segments');
    expect(() => plan({ eventDate: '2026-11-20', capacity: 0 })).toThrow('parameters.capacity');
  });

  it('reminds registered customers exactly the day before the event, whichever path they took', () => {
    const parameters = fc
      .record({
        eventDay: fc.integer({ min: toEpochDay('2026-01-01'), max: toEpochDay('2030-12-31') }),
        inviteDaysBefore: fc.integer({ min: 3, max: 60 }),
        registrationShare: fc.double({ min: 0, max: 1, noNaN: true }),
        kind: fc.constantFrom('appointment', 'salon', 'lecture', 'open_day', 'care_event'),
        channel: fc.constantFrom('sms', 'wecom'),
      })
      .map(({ eventDay, inviteDaysBefore, registrationShare, kind, channel }) => ({
        eventDate: fromEpochDay(eventDay),
        inviteDaysBefore,
        registrationDays: 1 + Math.floor(registrationShare * (inviteDaysBefore - 3)),
        kind,
        channel,
      }));
    fc.assert(
      fc.property(parameters, (input) => {
        const planned = plan(input);
        const enrolled = toEpochDay(scheduleDate(planned));
        expect(enrolled).toBe(toEpochDay(input.eventDate) - input.inviteDaysBefore);
        const registered = sendDays(planned, true);
        expect(registered.get('invite')).toBe(0);
        expect(enrolled + (registered.get('reminder') ?? Number.NaN)).toBe(toEpochDay(input.eventDate) - 1);
        expect(sendDays(planned, false).has('reminder')).toBe(false);
        for (const step of planned.journey) {
          if (step.type !== 'send') continue;
          expect(step.template.text['zh-CN'].endsWith('回复TD退订')).toBe(input.channel === 'sms');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('invites wealth-product holders by default, on the real attributes', async () => {
    const t = await createTestKernel({ plugins: [eventInvitationPlugin], customers: 2000 });
    const table = t.model.table;
    const rule = plan({ eventDate: '2026-11-20' }).audience.rule;
    if (rule === undefined) throw new Error('the default audience is a rule');
    expect(typeCheckRule(rule, { attributes: tableAttributes(table), operators: new OperatorRegistry(), segmentIds: new Set() })).toEqual([]);
    const engine = createSegmentEngine({ segments: [{ id: 'audience', rule }], attributes: tableAttributes(table) });
    const selected = [...(engine.evaluate(table).get('audience') ?? [])];
    const expected: number[] = [];
    for (let row = 0; row < table.size; row++) {
      const held = table.value(row, 'holdings.productTypes');
      if (Array.isArray(held) && held.some((type) => type === 'wealth' || type === 'fund' || type === 'structured_deposit')) expected.push(row);
    }
    expect(selected.length).toBeGreaterThan(0);
    expect(selected.length).toBeLessThan(table.size);
    expect(selected).toEqual(expected);
    await t.dispose();
  });
});
