// Names and types: what the developer types is checked before anything is written, and what follows
// from a valid name (plugin id, identifiers) is always valid for the kernel and for TypeScript.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pluginIdSchema } from '@kequn/core';
import { parsePluginName, parsePluginType, ScaffoldError } from '../src/index.js';

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const baseName = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join('-'));

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof ScaffoldError) return error.code;
    throw error;
  }
  return undefined;
}

describe('plugin names', () => {
  it('derives the plugin id from the package name, namespaced by a bank scope', () => {
    expect(parsePluginName('my-segments')).toMatchObject({ packageName: 'my-segments', baseName: 'my-segments', pluginId: 'my-segments', identifier: 'mySegments', typeName: 'MySegments', constant: 'MY_SEGMENTS' });
    expect(parsePluginName('@acme/kequn-plugin-wealth')).toMatchObject({ baseName: 'kequn-plugin-wealth', pluginId: 'acme.wealth', identifier: 'wealth' });
    expect(parsePluginName('@kequn/plugin-payroll')).toMatchObject({ pluginId: 'payroll', identifier: 'payroll' });
    // Without its prefix this would be plugin "2fa-users", which is no plugin id (nor identifier).
    expect(() => parsePluginName('plugin-2fa-users')).toThrow('the plugin id "2fa-users"');
  });

  it('gives every valid name a plugin id the kernel accepts and identifiers TypeScript accepts', () => {
    fc.assert(
      fc.property(fc.option(word, { nil: undefined }), baseName, (scope, base) => {
        const name = parsePluginName(scope === undefined ? base : `@${scope}/${base}`);
        expect(pluginIdSchema.safeParse(name.pluginId).success).toBe(true);
        expect(name.identifier).toMatch(/^[a-zA-Z_$][a-zA-Z0-9_$]*$/);
        expect(name.constant).toMatch(/^[A-Z_][A-Z0-9_]*$/);
      }),
    );
  });

  it('refuses names npm or the kernel would refuse, saying what to type instead', () => {
    for (const bad of ['', 'My-Segments', 'my_segments', 'my--segments', '-segments', '1segments', '@acme/', '@Acme/wealth', 'a/b', `x${'y'.repeat(214)}`]) {
      expect(codeOf(() => parsePluginName(bad)), bad).toBe('KQ_SCAFFOLD_NAME_INVALID');
    }
    expect(() => parsePluginName('my_segments')).toThrow('e.g. "my-segments"');
  });

  it('refuses any name with a character outside lower-case letters, digits and hyphens', () => {
    fc.assert(
      fc.property(baseName, fc.constantFrom('_', '.', ' ', 'A', '!', '中'), fc.nat(), (base, bad, at) => {
        const position = at % (base.length + 1);
        const name = base.slice(0, position) + bad + base.slice(position);
        expect(codeOf(() => parsePluginName(name))).toBe('KQ_SCAFFOLD_NAME_INVALID');
      }),
    );
  });
});

describe('plugin types', () => {
  it('accepts the three types', () => {
    expect(['segment-strategy', 'campaign-type', 'channel'].map((type) => parsePluginType(type))).toEqual(['segment-strategy', 'campaign-type', 'channel']);
  });

  it('refuses a missing or unknown type, listing the choices and suggesting the near one', () => {
    expect(codeOf(() => parsePluginType(undefined))).toBe('KQ_SCAFFOLD_TYPE_UNKNOWN');
    expect(() => parsePluginType(undefined)).toThrow('--type segment-strategy');
    expect(() => parsePluginType('segment')).toThrow('Did you mean --type segment-strategy?');
    expect(() => parsePluginType('campaign')).toThrow('Did you mean --type campaign-type?');
    expect(() => parsePluginType('widget')).toThrow('choose one of segment-strategy, campaign-type, channel.');
  });
});
