// Cell texts and near-misses that the customer fast paths' tests spoil rows with
// (fast-customers.test.ts, byte-path.test.ts): the edges of what the readers and the schema take.
import fc from 'fast-check';

/** Cell texts near the edges of what the readers and the schema take, each one a UTF-8 file can hold. */
export const trickyCells: readonly string[] = [
  '', ' ', '\u3000', ' x ', '-1', '+5', '1e3', '0', '00.50', '0.0', '1,2,3', '1,234.50', '1,234', '12,34', '0,123', '¥1234.5', '1234567890123456.5', '0.0000001',
  '2026/2/30', '2024-02-29', '2026-02-29', '20260229', '0099-01-01', '0999-12-31', '1000/1/1', '1900-02-29', '2000/2/29', '2026.1.5', '2026-1-5', '2026-01-5', '2026-1-05', '2026/01/5', '2026-11-22 ', '2026-11-22 09:30', '2026-11-22T25:00:00+08:00', '2026-11-22T09:30:00Z',
  'Y', 'N', 'y', 'TRUE', '是', '否', '√', 'maybe', 'male', '男', '女', '未知', 'farmer', 'FARMER', 'married', 'C3', 'C9', '21', '20', '2.5',
  '[]', '[1]', 'null', '[{"month":"2026-09","averageDailyBalance":1}]', 'a"b', 'a\\b', '\u0001', '😀', 'x'.repeat(101), 'a@b.cn', 'not-an-email',
  '2026-09:1,234.5', '2026-09=1', '2026-13:1', '2026-09:-1', '2026-09:1;;2026-10:2', '2026-09:1|2026-10:2', ' 2026-09:1', '2026-09:1 ', '2026-09:00.5', '2026-9:1',
  'sms/marketing/Y/2017-06-26T12:51:26+08:00', 'sms/marketing/Y/2017-06-26T12:51:26+08:00/2018-01-01T00:00:00Z', 'sms/marketing/Y/2017-06-26T12:51:26+08:00/',
  'sms/marketing/Y/2017-06-26T12:51:26+08:00/x/y', 'fax/marketing/Y/2017-06-26T12:51:26+08:00', 'sms/marketing/maybe/2017-06-26T12:51:26+08:00', 'sms/marketing/是/2017-06-26T12:51:26Z',
  ' sms/service/N/2017-06-26T12:51:26+08:00 | email/service/Y/2017-06-26T12:51:26Z', 'sms/marketing/Y/2017-06-26 12:51', 'sms/marketing/Y', '|', 'VIP|代发', 'VIP;;代发|',
];

/** Changes one character of a text: near-misses of every spelling the readers take. */
export const nearMiss = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...'0123456789,.-:;|/ YN是T+Z"[\u3000'.split('')));

export function applyNearMiss(text: string, [at, change, character]: [number, string, string]): string {
  const position = text.length === 0 ? 0 : at % (text.length + 1);
  if (change === 'insert') return text.slice(0, position) + character + text.slice(position);
  if (change === 'delete') return text.slice(0, position) + text.slice(position + 1);
  return text.slice(0, position) + character + text.slice(position + 1);
}
