// Masking personal information: the shapes bank staff expect, and rules that hold for every input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskAccountNumber, maskEmail, maskIdNumber, maskName, maskPersonalText, maskPhone } from '../src/index.js';

const digitString = (minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength, maxLength }).map((digits) => digits.join(''));

const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digitString(9, 9)).map(([prefix, rest]) => `${prefix}${rest}`);

describe('masking', () => {
  it('masks the shapes shown on bank screens', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳小锋')).toBe('欧**锋');
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('+86 138-1234-1234')).toBe('+86 138-****-1234');
    expect(maskPhone('8613812341234')).toBe('86138****1234');
    expect(maskPhone('8612345678')).toBe('861****678');
    expect(maskIdNumber('11010119900307123X')).toBe('110***********123X');
    expect(maskAccountNumber('6222021234567890123')).toBe('6222***********0123');
    expect(maskEmail('zhangsan@example.com')).toBe('z*******@example.com');
  });

  it('finds phone, identity and account numbers and e-mail addresses in free text', () => {
    const text = '客户13812341234，身份证110101199003071234，卡号6222021234567890123，邮箱li.si@bank.cn';
    expect(maskPersonalText(text)).toBe('客户138****1234，身份证110***********1234，卡号6222***********0123，邮箱l****@bank.cn');
    expect(maskPersonalText('到期日 2026-06-30，金额 50000 元')).toBe('到期日 2026-06-30，金额 50000 元');
  });

  it('keeps the length and masks at least a third of the digits of any number', () => {
    fc.assert(
      // A leading 86 before a mobile number is the country code, which is not masked.
      fc.property(digitString(1, 30).filter((digits) => !digits.startsWith('86')), (digits) => {
        for (const masked of [maskPhone(digits), maskAccountNumber(digits)]) {
          expect(Array.from(masked)).toHaveLength(digits.length);
          const hidden = Array.from(masked).filter((character) => character === '*').length;
          expect(hidden).toBeGreaterThanOrEqual(Math.ceil(digits.length / 3));
          Array.from(masked).forEach((character, index) => {
            if (character !== '*') expect(character).toBe(digits[index]);
          });
        }
      }),
    );
  });

  it('never shows a mobile number whole, wherever it appears in a text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), mobile, fc.string({ maxLength: 20 }), (before, phone, after) => {
        const text = `${before} ${phone} ${after}`;
        expect(maskPersonalText(text)).not.toContain(phone);
      }),
    );
  });

  it('hides the birth date of any identity number', () => {
    fc.assert(
      fc.property(digitString(17, 17), fc.constantFrom('0', '7', 'X'), (body, check) => {
        const idNumber = `${body}${check}`;
        const masked = maskIdNumber(idNumber);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
        expect(maskPersonalText(`证件 ${idNumber}`)).toBe(`证件 ${masked}`);
      }),
    );
  });

  it('keeps only the first character of each part of any name', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 12 }).filter((name) => name.trim().length >= 2), (name) => {
        const masked = maskName(name);
        expect(masked).toContain('*');
        expect(Array.from(masked.replace(/\s/g, '')).filter((character) => character !== '*').length).toBeLessThan(Array.from(name.trim().replace(/\s/g, '')).length);
      }),
    );
  });
});
