import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { pluginManifestJsonSchema } from '../src/index.js';

// Editors validate plugin manifests with the exported JSON Schema; it must agree with the zod schema.
describe('the manifest JSON Schema', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(pluginManifestJsonSchema());

  it('accepts a full, valid manifest', () => {
    const manifest = {
      id: 'acme.wealth-segments',
      version: '1.2.0',
      engines: { kequn: '^1' },
      dependsOn: ['tiering'],
      activationEvents: ['onStartup'],
      contributes: {
        segmentStrategies: [
          { id: 'wealth', label: { 'zh-CN': '财富客群', en: 'Wealth' }, exclusive: true },
        ],
        channels: [{ id: 'acme-sms', kind: 'sms', label: { 'zh-CN': '短信', en: 'SMS' } }],
        attributes: [
          {
            id: 'acme.score',
            type: 'number',
            label: { 'zh-CN': '评分', en: 'Score' },
            piClass: 'C1',
          },
        ],
        components: [{ id: 'kq-acme-card', label: { 'zh-CN': '卡片', en: 'Card' } }],
      },
    };
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects a manifest with a bad id, a missing engine and an unknown channel kind', () => {
    const manifest = {
      id: 'Acme Wealth',
      version: '1.0.0',
      contributes: {
        channels: [{ id: 'fax', kind: 'fax', label: { 'zh-CN': '传真', en: 'Fax' } }],
      },
    };
    expect(validate(manifest)).toBe(false);
    const paths = (validate.errors ?? []).map(
      (error) => `${error.instancePath} ${error.message ?? ''}`,
    );
    expect(paths.some((path) => path.startsWith('/id'))).toBe(true);
    expect(paths.some((path) => path.includes("required property 'engines'"))).toBe(true);
    expect(paths.some((path) => path.startsWith('/contributes/channels/0/kind'))).toBe(true);
  });
});
