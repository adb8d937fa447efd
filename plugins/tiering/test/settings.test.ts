// Tiering settings: DOMAIN.md's defaults, and errors that name the field a bank got wrong.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKernel } from '@kequn/core';
import { tieringPlugin, tieringSettingsSchema } from '../src/index.js';

const floorOrder = ['effective', 'mid', 'high_end', 'private'] as const;

function issuePaths(input: unknown): string[] {
  const result = tieringSettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('tiering settings', () => {
  it('defaults to the bands of DOMAIN.md §1, a three-month window, two months before a downgrade', () => {
    expect(tieringSettingsSchema.parse({})).toEqual({
      thresholds: { effective: 10_000, mid: 50_000, high_end: 500_000, private: 6_000_000 },
      windowMonths: 3,
      downgradeAfterMonths: 2,
      upgradeAfterMonths: 1,
    });
  });

  it('fills the thresholds a bank leaves out with the defaults', () => {
    const settings = tieringSettingsSchema.parse({ thresholds: { effective: 20_000 } });
    expect(settings.thresholds).toEqual({
      effective: 20_000,
      mid: 50_000,
      high_end: 500_000,
      private: 6_000_000,
    });
  });

  it('names thresholds.mid when it is below thresholds.effective', () => {
    const result = tieringSettingsSchema.safeParse({
      thresholds: { effective: 20_000, mid: 15_000 },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['thresholds', 'mid'],
        message: expect.stringContaining('thresholds.effective (20000)'),
      }),
    ]);
  });

  it('names exactly the floors that do not rise above the one beneath', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 4, maxLength: 4 }),
        (floors) => {
          const thresholds = Object.fromEntries(
            floorOrder.map((tier, index) => [tier, floors[index]]),
          );
          const expected = floorOrder
            .filter((_tier, index) => index > 0 && (floors[index] ?? 0) <= (floors[index - 1] ?? 0))
            .map((tier) => `thresholds.${tier}`);
          expect(issuePaths({ thresholds })).toEqual(expected);
        },
      ),
    );
  });

  it('names the field of an out-of-range window or hysteresis setting', () => {
    expect(issuePaths({ windowMonths: 0 })).toEqual(['windowMonths']);
    expect(issuePaths({ downgradeAfterMonths: 1.5 })).toEqual(['downgradeAfterMonths']);
    expect(issuePaths({ upgradeAfterMonths: 13 })).toEqual(['upgradeAfterMonths']);
    expect(issuePaths({ thresholds: { effective: -1 } })).toEqual(['thresholds.effective']);
  });

  it('stops the kernel from registering the plugin with invalid settings, naming plugin and field', () => {
    const attempt = () =>
      createKernel({
        plugins: [tieringPlugin],
        settings: { tiering: { thresholds: { effective: 20_000, mid: 15_000 } } },
        logSink: () => {},
      });
    expect(attempt).toThrow(
      /Settings for plugin "tiering" are invalid: thresholds\.mid: must be above thresholds\.effective/,
    );
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'KQ_PLUGIN_SETTINGS_INVALID', pluginId: 'tiering' }),
    );
  });
});
