// `kequn campaign …` across separate invocations on one SQLite file: what one command decides (an
// approval, an enrolment) is there for the next, and refusals name their rule.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../src/index.js';

function overrideExits(command: Command, written: string[], errors: string[]): void {
  command.exitOverride().configureOutput({ writeOut: (text) => void written.push(text), writeErr: (text) => void errors.push(text) });
  for (const child of command.commands) overrideExits(child, written, errors);
}

function cli(...args: string[]) {
  const written: string[] = [];
  const errors: string[] = [];
  const program = createProgram({ write: (text) => void written.push(text) });
  overrideExits(program, written, errors);
  return program.parseAsync(args, { from: 'user' }).then(() => written.join(''));
}

describe('kequn campaign', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-campaign-cli-'));
  const store = `sqlite:${join(folder, 'kequn.db')}`;
  const file = join(folder, 'campaign.yaml');
  const now = '2026-11-02T10:00:00+08:00';

  beforeAll(async () => {
    await cli('demo', '--json', '--store', store, '--customers', '1500');
    writeFileSync(
      file,
      [
        'id: cli-threshold',
        'type: threshold-reward',
        'name: { zh-CN: 达标有礼（命令行）, en: Threshold reward (CLI) }',
        'parameters: { holdDays: 10 }',
        'priority: 25',
        'experiment: { holdout: 0.2, variants: [{ id: a }, { id: b }], seed: cli }',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('lists the six shipped campaign types', async () => {
    const output = await cli('campaign', 'types', '--store', store);
    for (const type of ['threshold-reward', 'maturity-remarketing', 'dormant-activation', 'referral', 'event-invitation', 'upgrade-congratulation']) expect(output).toContain(type);
  });

  it('creates from YAML, refuses self-approval, approves, starts, runs and reports', async () => {
    expect(await cli('campaign', 'create', '--file', file, '--by', 'user:planner', '--store', store)).toContain('created cli-threshold (threshold-reward) as draft');
    await cli('campaign', 'submit', 'cli-threshold', '--by', 'user:planner', '--store', store);
    await expect(cli('campaign', 'approve', 'cli-threshold', '--by', 'user:planner', '--store', store)).rejects.toThrow(/KQ_CAMPAIGN_APPROVER/);
    await cli('campaign', 'approve', 'cli-threshold', '--by', 'user:branch-head', '--note', 'budget confirmed', '--store', store);
    await expect(cli('campaign', 'approve', 'cli-threshold', '--by', 'user:branch-head', '--store', store)).rejects.toThrow(/KQ_CAMPAIGN_TRANSITION/);
    await cli('campaign', 'start', 'cli-threshold', '--by', 'user:planner', '--now', now, '--store', store);
    expect(await cli('campaign', 'run', '--now', now, '--store', store)).toMatch(/ran \d+ enrolment steps/);

    const status = await cli('campaign', 'status', 'cli-threshold', '--store', store);
    expect(status).toContain('running');
    expect(status).toContain('pending_approval → approved  by user:branch-head: budget confirmed');

    const report = JSON.parse(await cli('campaign', 'report', 'cli-threshold', '--json', '--as-of', '2026-11-20T10:00:00+08:00', '--store', store)) as {
      enrolled: number;
      funnel: { stepId: string; sent: number; suppressed: number }[];
      cohorts: { cohort: string; variant: string; customers: number }[];
    };
    expect(report.enrolled).toBeGreaterThan(0);
    const invite = report.funnel.find((step) => step.stepId === 'invite');
    expect((invite?.sent ?? 0) + (invite?.suppressed ?? 0)).toBeGreaterThan(0);
    expect(report.cohorts.map((cohort) => `${cohort.cohort}/${cohort.variant}`).sort()).toEqual(['holdout/control', 'treatment/a', 'treatment/b']);
  });

  it('names the field when the campaign file is invalid', async () => {
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ id: 'Bad Id', type: 'threshold-reward', name: { 'zh-CN': '坏', en: 'bad' }, parameters: {} }));
    await expect(cli('campaign', 'create', '--file', bad, '--by', 'user:planner', '--store', store)).rejects.toThrow(/campaign\.id/);
  });
});
