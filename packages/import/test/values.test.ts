// Cell readers: the spellings bank exports use, as properties over many values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CellProblem, detectEncodingOf, groupThousands, readAmount, readBoolean, readDate, readDateTime } from '../src/index.js';
import iconv from 'iconv-lite';

const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));

describe('cell readers', () => {
  it('reads back any amount written with thousands separators, to the cent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        const amount = cents / 100;
        expect(readAmount(groupThousands(amount))).toBe(amount);
      }),
    );
    expect(readAmount('1,234,567.89')).toBe(1_234_567.89);
  });

  it('refuses amounts that are not one number', () => {
    for (const text of ['1,2,3', '12,34.5', 'abc', '1.234,56', '']) expect(readAmount(text)).toBeInstanceOf(CellProblem);
  });

  it('reads a day written 2026-11-22, 2026/11/22 or 20261122 as the same ISO date', () => {
    fc.assert(
      fc.property(day, (iso) => {
        expect(readDate(iso)).toBe(iso);
        expect(readDate(iso.replaceAll('-', '/'))).toBe(iso);
        expect(readDate(iso.replaceAll('-', ''))).toBe(iso);
      }),
    );
  });

  it('refuses days that are not on the calendar', () => {
    for (const text of ['2026-02-30', '2026/13/01', '20260000', '22/11/2026']) expect(readDate(text)).toBeInstanceOf(CellProblem);
  });

  it('reads a date-time without offset in China Standard Time', () => {
    expect(readDateTime('2026/11/22 9:05')).toBe('2026-11-22T09:05:00+08:00');
    expect(readDateTime('2026-11-22T09:30:00Z')).toBe('2026-11-22T09:30:00Z');
    expect(readDateTime('2026-11-22 25:00')).toBeInstanceOf(CellProblem);
  });

  it('reads yes and no in the spellings bank systems use', () => {
    expect([readBoolean('是'), readBoolean('Y'), readBoolean('1'), readBoolean('否'), readBoolean('false')]).toEqual([true, true, true, false, false]);
    expect(readBoolean('maybe')).toBeInstanceOf(CellProblem);
  });

  it('tells GBK text from UTF-8 text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('客户', '资产', '理财', '网点', '杭州', '经理', 'A', '1', ','), { minLength: 4, maxLength: 40 }), (parts) => {
        const text = parts.join('') + '张伟王芳';
        expect(detectEncodingOf(new TextEncoder().encode(text))).toBe('utf-8');
        expect(detectEncodingOf(iconv.encode(text, 'gbk'))).toBe('gb18030');
      }),
    );
  });
});
