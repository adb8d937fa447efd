// Wording every campaign type shares: amounts as bank staff say them (5万元 / CNY 50,000) and the
// unsubscribe hint every marketing SMS must end with, kept in one place for compliance review.
import type { ChannelKind, LocalizedText } from '@kequn/core';

const unsubscribeHint: LocalizedText = { 'zh-CN': '回复TD退订', en: 'Reply TD to unsubscribe' };

/** Marketing SMS end with the unsubscribe hint; other channels carry their own opt-out. */
export function marketingText(channel: ChannelKind, text: LocalizedText): LocalizedText {
  if (channel !== 'sms') return text;
  return { 'zh-CN': `${text['zh-CN']}${unsubscribeHint['zh-CN']}`, en: `${text.en} ${unsubscribeHint.en}.` };
}

/** 50000 → "5万元" / "CNY 50,000"; amounts that are not whole 万 keep their digits ("12,500元"). */
export function formatAmount(amount: number): LocalizedText {
  const grouped = amount.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const wan = amount / 10_000;
  const chinese = amount >= 10_000 && Number.isInteger(wan * 10) ? `${wan.toLocaleString('en-US', { maximumFractionDigits: 1 })}万元` : `${grouped}元`;
  return { 'zh-CN': chinese, en: `CNY ${grouped}` };
}
