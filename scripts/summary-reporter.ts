// Prints the plain closing line CI reads: "N passed, N failed, N skipped".
// Vitest's own summary is not machine-readable in that form, so this reporter adds it last.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

function tally(testModules: ReadonlyArray<TestModule>): Tally {
  const counts: Tally = { passed: 0, failed: 0, skipped: 0 };
  for (const testModule of testModules) {
    for (const test of testModule.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed += 1;
      else if (state === 'failed') counts.failed += 1;
      else counts.skipped += 1;
    }
    // A file that failed to load has no tests but is still a failure.
    if (testModule.state() === 'failed' && testModule.children.size === 0) counts.failed += 1;
  }
  return counts;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
  ): void {
    const counts = tally(testModules);
    counts.failed += unhandledErrors.length;
    const line = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
    mkdirSync('.vitest-results', { recursive: true });
    writeFileSync('.vitest-results/summary.txt', `${line}\n`);
    process.stdout.write(`\n${line}\n`);
  }
}
