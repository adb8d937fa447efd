// Masking of personal financial information (JR/T 0171-2020, PIPL) wherever it is shown or sent
// where it should not be read whole: screens, exports, and channels that are not secure.
// Every function keeps the length of what it masks, so a masked value still looks like its kind.

const MASK = '*';

function maskRange(characters: readonly string[], keepStart: number, keepEnd: number): string {
  return characters.map((character, index) => (index < keepStart || index >= characters.length - keepEnd ? character : MASK)).join('');
}

/** Code points, so that a Chinese character or an emoji counts as one. */
function characters(value: string): string[] {
  return Array.from(value);
}

const hanCharacter = /\p{Script=Han}/u;

/**
 * A person's name: Chinese names keep the surname and the last character (张*明, 欧阳**锋), two
 * characters keep the surname (李*); other names keep the first letter of each word longer than one
 * letter (J*** S****).
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  const chars = characters(trimmed);
  if (chars.length === 0) return '';
  if (chars.length === 1) return MASK;
  if (hanCharacter.test(trimmed) && !/\s/.test(trimmed)) {
    return chars.length === 2 ? maskRange(chars, 1, 0) : maskRange(chars, 1, 1);
  }
  return trimmed
    .split(/(\s+)/)
    .map((part) => {
      if (/^\s+$/.test(part) || part === '') return part;
      // A lone initial would be shown whole; mask it like the rest.
      return characters(part).length === 1 ? MASK : maskRange(characters(part), 1, 0);
    })
    .join('');
}

/**
 * Keeps `keepStart` and `keepEnd` digits and masks the digits between; other characters (spaces,
 * dashes, a leading +) stay where they are. Short values keep fewer digits, so that at least a
 * third of the digits are always masked (a mobile number: 4 of 11, as 138****1234).
 */
function maskDigits(value: string, keepStart: number, keepEnd: number): string {
  const chars = characters(value);
  const digitPositions = chars.flatMap((character, index) => (/[0-9]/.test(character) ? [index] : []));
  const count = digitPositions.length;
  let start = keepStart;
  let end = keepEnd;
  while (count - start - end < Math.ceil(count / 3) && (start > 0 || end > 0)) {
    if (start >= end && start > 0) start -= 1;
    else end -= 1;
  }
  const masked = new Set(digitPositions.slice(start, count - end));
  return chars.map((character, index) => (masked.has(index) ? MASK : character)).join('');
}

/** A phone number: 13812341234 → 138****1234; +86 prefixes and separators are kept as written. */
export function maskPhone(phone: string): string {
  const withoutCountry = phone.match(/^(\+?86[\s-]?)(.*)$/);
  // The country code is not part of the number: 86 13812341234 masks like 13812341234.
  if (withoutCountry !== null && /^1\d{10}$/.test((withoutCountry[2] ?? '').replace(/[\s-]/g, ''))) {
    return `${withoutCountry[1] ?? ''}${maskDigits(withoutCountry[2] ?? '', 3, 4)}`;
  }
  return maskDigits(phone, 3, 4);
}

/** A resident identity number: 110101199003071234 → 110***********1234 (birth date hidden). */
export function maskIdNumber(idNumber: string): string {
  const chars = characters(idNumber);
  if (chars.length <= 8) return maskRange(chars, 1, 1);
  return maskRange(chars, 3, 4);
}

/** A bank card or account number: 6222021234567890123 → 6222***********0123. */
export function maskAccountNumber(accountNumber: string): string {
  return maskDigits(accountNumber, 4, 4);
}

/** An e-mail address: zhangsan@example.com → z*******@example.com. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskRange(characters(email), 1, 0);
  return `${maskRange(characters(email.slice(0, at)), 1, 0)}${email.slice(at)}`;
}

// Digits not glued to other digits: a phone inside an account number is the account's business.
const idNumberPattern = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const phonePattern = /(?<![0-9])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![0-9])/g;
const accountPattern = /(?<![0-9])\d(?:[\s-]?\d){11,22}(?![0-9])/g;
const emailPattern = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/**
 * Masks every phone number, identity number, account number and e-mail address found in free
 * text (a template variable, a note). Names cannot be found by pattern: mask them with `maskName`.
 */
export function maskPersonalText(text: string): string {
  return text
    .replace(emailPattern, (email) => maskEmail(email))
    .replace(idNumberPattern, (idNumber) => maskIdNumber(idNumber))
    .replace(phonePattern, (phone) => maskPhone(phone))
    .replace(accountPattern, (account) => maskAccountNumber(account));
}
