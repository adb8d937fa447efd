// Message catalogues shipped with the package: each element keeps its own zh-CN and en strings
// (so a page loading one element does not carry the others'), typed so both locales have every key.
import type { KequnLocale } from './locale.js';

export type Catalogue<Key extends string> = Readonly<
  Record<KequnLocale, Readonly<Record<Key, string>>>
>;

/** Fills `{name}` placeholders; values are inserted as text by Lit, never as markup. */
export function interpolate(
  template: string,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

export const commonMessages = {
  'zh-CN': {
    loading: '加载中…',
    noClient: '尚未连接数据服务：请用 <kq-provider> 包裹，或设置 .client 属性。',
    failed: '加载失败：{message}',
    retry: '重试',
    forbidden: '无权查看此内容',
    empty: '暂无数据',
  },
  en: {
    loading: 'Loading…',
    noClient: 'Not connected: wrap in <kq-provider> or set the .client property.',
    failed: 'Could not load: {message}',
    retry: 'Retry',
    forbidden: 'You do not have permission to see this',
    empty: 'Nothing to show',
  },
} as const satisfies Catalogue<string>;

export type CommonMessageKey = keyof (typeof commonMessages)['en'];

/** The five asset tiers (纵向分层) by id, for lists that carry only the id. */
export const tierLabels: Readonly<Record<string, Readonly<Record<KequnLocale, string>>>> = {
  potential: { 'zh-CN': '潜力客户', en: 'Potential' },
  effective: { 'zh-CN': '有效客户', en: 'Effective' },
  mid: { 'zh-CN': '中端客户', en: 'Mid' },
  high_end: { 'zh-CN': '高端客户', en: 'High-end' },
  private: { 'zh-CN': '私行客户', en: 'Private' },
};

export function tierLabel(locale: KequnLocale, tierId: string | null): string {
  if (tierId === null) return '—';
  return tierLabels[tierId]?.[locale] ?? tierId;
}
