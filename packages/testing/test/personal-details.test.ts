import { describe, expect, it } from 'vitest';
import { createSyntheticBank, idNumberCheckCharacter } from '../src/index.js';

describe('personal details look real and agree with each other', () => {
  const customers = [...createSyntheticBank({ seed: 5, customers: 5_000 }).customers()];

  it('computes the ISO 7064 MOD 11-2 check character of the national standard’s example', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44052418800101001')).toBe('4');
  });

  it('issues 18-character identity numbers with a valid check character, birth date and gender digit', () => {
    for (const { profile } of customers) {
      expect(profile.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(profile.idNumber.at(-1)).toBe(idNumberCheckCharacter(profile.idNumber.slice(0, 17)));
      expect(profile.idNumber.slice(6, 14)).toBe(profile.birthDate.replaceAll('-', ''));
      const genderDigit = Number(profile.idNumber.charAt(16));
      if (profile.gender === 'male') expect(genderDigit % 2).toBe(1);
      if (profile.gender === 'female') expect(genderDigit % 2).toBe(0);
    }
  });

  it('gives 11-digit mobile numbers on real carrier prefixes', () => {
    for (const { profile } of customers)
      expect(profile.phone).toMatch(/^1(3\d|4[7]|5[0-35-9]|66|7[367]|8\d|9[189])\d{8}$/);
  });

  it('uses Chinese names of two to four characters, surname first', () => {
    for (const { profile } of customers) expect(profile.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    const surnames = new Set(customers.map(({ profile }) => profile.name.charAt(0)));
    expect(surnames.size).toBeGreaterThan(50);
  });
});
