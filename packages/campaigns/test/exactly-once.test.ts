// Kill the process running a campaign with SIGKILL part-way, restart, and every enrolled customer
// still receives each step exactly once: one outbox message per send step for those the contact
// policy allows, none for the control group, and a step run behind every message and no other.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContactPolicy } from '@kequn/contact-policy';
import type { SqlStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { KILL_TEST, REMINDER_TYPE, enrolmentsOf, launch, openBank, outboxRows, stepRunRows, syntheticCustomers } from './fixtures.js';

const DAY_MS = 86_400_000;
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const customers = syntheticCustomers(KILL_TEST.seed, KILL_TEST.customers);

interface Subject {
  /** A fresh, empty store and the child's arguments to open the same one. */
  fresh(): Promise<{ store: SqlStore; childArgs: string[] }>;
  reopen(childArgs: readonly string[]): Promise<SqlStore>;
}

/** Sets the campaign up and starts it (the audience is enrolled), then closes the store. */
async function prepare(store: SqlStore): Promise<void> {
  const bank = await openBank({ customers, store, now: KILL_TEST.from });
  await launch(bank.engine, {
    id: KILL_TEST.campaignId,
    type: REMINDER_TYPE,
    name: { 'zh-CN': '断电重启', en: 'Kill and restart' },
    parameters: { waitDays: 2 },
    experiment: { holdout: 0.2, seed: 'kill-test' },
  });
  await bank.dispose();
}

/** Runs the child until it has committed `afterBatches` batches, then kills it. */
function killChildAfter(childArgs: readonly string[], afterBatches: number): Promise<{ signal: NodeJS.Signals | null; batches: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@kequn/source', '--import', 'tsx', 'test/journey-child.ts', ...childArgs], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    let batches = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      batches = output.split('\n').filter((line) => line.startsWith('batch ')).length;
      if (batches >= afterBatches) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (output.includes('finished')) reject(new Error('the child finished the whole campaign before it was killed'));
      else if (batches < afterBatches) reject(new Error(`the child ended after ${batches} batches: ${errors}`));
      else resolve({ signal, batches });
    });
  });
}

async function checkExactlyOnce(store: SqlStore): Promise<void> {
  const bank = await openBank({ customers, store, skipUpsert: true, now: KILL_TEST.from });
  try {
    const { engine } = bank;
    const id = KILL_TEST.campaignId;
    // What the killed process left: some work done, not all of it.
    const partialRuns = await stepRunRows(store, id);
    expect(partialRuns.length).toBeGreaterThan(0);
    expect(partialRuns.some((run) => run.stepId === 'reminder')).toBe(false);

    // A restart may enrol again (the `run` command does): nobody is enrolled twice.
    expect(await engine.enrolAudience(id, { source: 'restart' })).toEqual({ enrolled: 0, holdout: 0 });
    await engine.runUntil(KILL_TEST.until, { from: KILL_TEST.from });

    const enrolments = await enrolmentsOf(engine, id);
    expect(enrolments.length).toBe(await engine.audienceSize(id));
    expect(enrolments.length).toBeGreaterThan(customers.length * 0.9);
    expect(enrolments.every((enrolment) => enrolment.state === 'done')).toBe(true);
    const treatment = enrolments.filter((enrolment) => enrolment.cohort === 'treatment');
    const control = enrolments.filter((enrolment) => enrolment.cohort !== 'treatment');
    expect(Math.abs(control.length - enrolments.length * 0.2)).toBeLessThanOrEqual(1);

    const messages = (await outboxRows(store)).filter((row) => row.campaignId === id);
    const runs = await stepRunRows(store, id);
    const messagesOf = new Map<string, Map<string, number[]>>();
    for (const message of messages) {
      const steps = messagesOf.get(message.customerId) ?? new Map<string, number[]>();
      steps.set(message.stepId, [...(steps.get(message.stepId) ?? []), message.createdMs]);
      messagesOf.set(message.customerId, steps);
    }

    const policy = createContactPolicy();
    const allowedAt = (customerId: string, at: string) => policy.decide({ customer: bank.byId(customerId), channel: 'sms', purpose: 'marketing', at }).allowed;
    const reminderAt = new Date(Date.parse(KILL_TEST.from) + 2 * DAY_MS).toISOString();
    let invited = 0;
    for (const enrolment of treatment) {
      const steps = messagesOf.get(enrolment.customerId) ?? new Map<string, number[]>();
      const invite = steps.get('invite') ?? [];
      const reminder = steps.get('reminder') ?? [];
      expect(invite.length, `${enrolment.customerId} invite`).toBe(allowedAt(enrolment.customerId, KILL_TEST.from) ? 1 : 0);
      expect(reminder.length, `${enrolment.customerId} reminder`).toBe(allowedAt(enrolment.customerId, reminderAt) ? 1 : 0);
      const [sentAt] = invite;
      const [remindedAt] = reminder;
      if (sentAt !== undefined && remindedAt !== undefined) expect(remindedAt - sentAt).toBe(2 * DAY_MS);
      invited += invite.length;
    }
    expect(invited).toBeGreaterThan(treatment.length / 4);
    for (const enrolment of control) {
      expect(messagesOf.has(enrolment.customerId), `${enrolment.customerId} is in the control group`).toBe(false);
      expect(runs.filter((run) => run.customerId === enrolment.customerId)).toEqual([]);
    }

    // Step runs and outbox messages match one to one.
    const sentRunIds = runs.filter((run) => run.outcome === 'sent').map((run) => `${run.campaignId}:${run.customerId}:${run.stepId}`).sort();
    expect(sentRunIds).toEqual(messages.map((message) => message.id).sort());
    // Every treatment customer ran every step once: invite, wait, reminder.
    expect(runs.length).toBe(treatment.length * 3);
    expect(runs.filter((run) => run.outcome === 'suppressed').length).toBe(treatment.length * 2 - messages.length);
  } finally {
    await bank.dispose();
  }
}

function describeKillAndRestart(name: string, subject: Subject): void {
  it(`${name}: a campaign killed mid-run and restarted sends each step exactly once`, async () => {
    const { store, childArgs } = await subject.fresh();
    await prepare(store);
    const { signal, batches } = await killChildAfter(childArgs, 4);
    expect(signal).toBe('SIGKILL');
    expect(batches).toBeGreaterThanOrEqual(4);
    await checkExactlyOnce(await subject.reopen(childArgs));
  });
}

describe('exactly once across SIGKILL and restart', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-campaign-kill-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  let files = 0;
  describeKillAndRestart('SQLite', {
    fresh: async () => {
      files += 1;
      const path = join(folder, `campaign-${files}.db`);
      return { store: await openSqliteStore({ path }), childArgs: ['sqlite', path] };
    },
    reopen: ([, path]) => openSqliteStore({ path: path ?? '' }),
  });

  describePostgres();
});

function describePostgres(): void {
  const url = process.env['KEQUN_PG_URL'];
  const required = process.env['KEQUN_REQUIRE_SERVICES'] === '1';
  if (url === undefined) {
    if (required)
      it('PostgreSQL: KEQUN_PG_URL is set (KEQUN_REQUIRE_SERVICES=1)', () => {
        throw new Error('KEQUN_REQUIRE_SERVICES=1 but KEQUN_PG_URL is not set: start PostgreSQL and set its URL.');
      });
    else it.skip('PostgreSQL: set KEQUN_PG_URL to run the kill-and-restart test on PostgreSQL', () => undefined);
    return;
  }
  const schema = `kequn_campaign_kill_${process.pid}_${Date.now().toString(36)}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  });
  describeKillAndRestart('PostgreSQL', {
    fresh: async () => ({ store: await openPostgresStore({ url, schema }), childArgs: ['postgres', url, schema] }),
    reopen: () => openPostgresStore({ url, schema }),
  });
}
