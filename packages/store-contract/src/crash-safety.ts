// The checking side of the crash test: a store holds the state before a transaction when its writer
// is killed halfway through it, and the state after when killed once it committed.
import { spawn } from 'node:child_process';
import type { KequnStore } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { describe, expect, it } from 'vitest';
import { CRASH_SEED } from './crash-child.js';

export interface CrashSubject {
  /** A location (file path, schema) with a fresh, empty store. */
  newLocation(purpose: string): Promise<string>;
  open(location: string): Promise<KequnStore>;
  /** The folder to run the child in and its script, which passes argv to rewriteCustomersUntilKilled. */
  child: { cwd: string; script: string; env?: NodeJS.ProcessEnv };
}

const before = 2_000;
const after = 6_000;

function killChildAt(subject: CrashSubject, location: string, mode: 'mid' | 'after', line: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@kequn/source', '--import', 'tsx', subject.child.script, location, mode, String(after)], {
      cwd: subject.child.cwd,
      env: { ...process.env, ...subject.child.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(line)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (output.includes(line)) resolve(signal);
      else reject(new Error(`the child ended before "${line}": ${errors}`));
    });
  });
}

async function withBeforeState(subject: CrashSubject, purpose: string): Promise<string> {
  const location = await subject.newLocation(purpose);
  const store = await subject.open(location);
  const bank = createSyntheticBank({ seed: CRASH_SEED, customers: before });
  await store.customers.upsert([...bank.customers()].map((customer) => ({ ...customer, tags: ['before'] })));
  await store.close();
  return location;
}

async function stateOf(subject: CrashSubject, location: string): Promise<{ count: number; tags: string[] }> {
  const store = await subject.open(location);
  try {
    const tags = new Set<string>();
    let afterId: string | undefined;
    for (;;) {
      const page = await store.customers.list({ afterId, limit: 1_000 });
      for (const customer of page) tags.add(customer.tags.join(','));
      afterId = page.at(-1)?.id;
      if (page.length < 1_000) break;
    }
    return { count: await store.customers.count(), tags: [...tags] };
  } finally {
    await store.close();
  }
}

export function describeCrashSafety(name: string, subject: CrashSubject): void {
  describe(`${name} crash safety`, () => {
    it('keeps the state before the transaction when its writer is killed halfway through it', async () => {
      const location = await withBeforeState(subject, 'crash_mid');
      expect(await killChildAt(subject, location, 'mid', 'halfway')).toBe('SIGKILL');
      expect(await stateOf(subject, location)).toEqual({ count: before, tags: ['before'] });
    });

    it('keeps the state after the transaction when its writer is killed once it committed', async () => {
      const location = await withBeforeState(subject, 'crash_after');
      expect(await killChildAt(subject, location, 'after', 'committed')).toBe('SIGKILL');
      expect(await stateOf(subject, location)).toEqual({ count: after, tags: ['after'] });
    });
  });
}
