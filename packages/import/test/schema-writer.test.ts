// JSON writers derived from a zod schema write what JSON.stringify makes of zod's output, and refuse
// exactly what zod refuses, over random values of the constructs they understand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaWriter, UnsupportedSchema } from '../src/schema-writer.js';

const schema = z.object({
  text: z.string().min(2).max(5),
  choice: z.enum(['a', 'b']).optional(),
  count: z.number().int().min(0).max(10).default(3),
  flag: z.boolean().default(false).optional(),
  day: z.iso.date().optional(),
  code: z.string().regex(/^\d{2}$/).nullable().default(null),
  names: z.array(z.string().min(1)).max(3).default([]),
  inner: z.object({ amount: z.number().nonnegative(), note: z.string().optional() }).optional(),
});

const anyValue = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('2026-02-28', '2026-02-29', '12', '1', 'a', 'b', 'c', '\ud800x', 'q"\\'),
  fc.integer({ min: -3, max: 12 }),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined, -0),
  fc.array(fc.string({ maxLength: 2 }), { maxLength: 4 }),
  fc.record({ amount: fc.oneof(fc.double(), fc.integer()), note: fc.option(fc.string(), { nil: undefined }), extra: fc.string() }, { requiredKeys: [] }),
);

const record = fc.dictionary(fc.constantFrom('text', 'choice', 'count', 'flag', 'day', 'code', 'names', 'inner', 'unknown'), anyValue);

describe('writers derived from a zod schema', () => {
  it('write JSON.stringify of what zod parses, and refuse what zod refuses', () => {
    const write = schemaWriter(schema, new Set());
    let accepted = 0;
    fc.assert(
      fc.property(record, (value) => {
        const out: string[] = [];
        const written = write(value, out);
        const parsed = schema.safeParse(value);
        expect(written).toBe(parsed.success);
        if (parsed.success) {
          accepted += 1;
          expect(out.join('')).toBe(JSON.stringify(parsed.data));
        }
      }),
      { numRuns: 20_000 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  it('write lists named as value rows as rows of values', () => {
    const list = z.object({ items: z.array(z.object({ month: z.string(), amount: z.number(), note: z.string().optional() })) });
    const out: string[] = [];
    expect(schemaWriter(list, new Set(['items']))({ items: [{ month: '2026-10', amount: 1.5 }, { amount: 2, month: '2026-11', note: 'n' }] }, out)).toBe(true);
    expect(out.join('')).toBe('{"items":[["2026-10",1.5],["2026-11",2,"n"]]}');
  });

  it('refuse to compile what they do not understand', () => {
    for (const unsupported of [z.object({ a: z.string().transform((text) => text.length) }), z.object({ a: z.union([z.string(), z.number()]) }), z.object({ a: z.url() }), z.strictObject({ a: z.string() })]) {
      expect(() => schemaWriter(unsupported, new Set())).toThrow(UnsupportedSchema);
    }
  });
});
