// Numbers, money (CNY) and dates through Intl, one cached formatter per locale and style.
import type { KequnLocale } from './locale.js';

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: KequnLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!(formatter instanceof Intl.NumberFormat)) {
    formatter = new Intl.NumberFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

function dateFormat(locale: KequnLocale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!(formatter instanceof Intl.DateTimeFormat)) {
    formatter = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatCount(locale: KequnLocale, value: number): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

export function formatPercent(locale: KequnLocale, ratio: number): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

/**
 * Money in CNY the way bank staff read it: 万元 / 亿元 in Chinese (1.25亿元, 36.5万元), compact
 * currency in English (CN¥125M).
 */
export function formatCny(locale: KequnLocale, amount: number): string {
  if (locale === 'en') {
    return numberFormat('en', {
      style: 'currency',
      currency: 'CNY',
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(amount);
  }
  const magnitude = Math.abs(amount);
  const digits = { maximumFractionDigits: 2 };
  if (magnitude >= 1e8) return `${numberFormat('zh-CN', digits).format(amount / 1e8)}亿元`;
  if (magnitude >= 1e4) return `${numberFormat('zh-CN', digits).format(amount / 1e4)}万元`;
  return `${numberFormat('zh-CN', { maximumFractionDigits: 0 }).format(amount)}元`;
}

/** `YYYY-MM-DD` (or an ISO instant) as a calendar date; the day is kept as written (UTC). */
export function formatDate(locale: KequnLocale, isoDate: string): string {
  const date = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
  if (Number.isNaN(date.getTime())) return isoDate;
  return dateFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** `YYYY-MM` as a month. */
export function formatMonth(locale: KequnLocale, isoMonth: string): string {
  const date = new Date(`${isoMonth.slice(0, 7)}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoMonth;
  return dateFormat(locale, { year: 'numeric', month: 'short' }).format(date);
}
