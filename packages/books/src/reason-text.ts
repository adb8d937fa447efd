// Plan reasons in words a manager reads on a daily list, in zh-CN or English.
import type { PlanReason } from './contact-plan.js';

export type BookLocale = 'zh-CN' | 'en';

function since(last: string | null, locale: BookLocale): string {
  if (last === null) return locale === 'zh-CN' ? '从未有效联系' : 'never reached';
  return locale === 'zh-CN' ? `上次有效联系 ${last}` : `last reached ${last}`;
}

export function describeReason(reason: PlanReason, locale: BookLocale = 'zh-CN'): string {
  const zh = locale === 'zh-CN';
  switch (reason.kind) {
    case 'cadence':
      return zh
        ? `${reason.classId.toUpperCase()}类客户每${reason.cadenceDays}天联系（${since(reason.lastEffectiveContact, locale)}）`
        : `class ${reason.classId.toUpperCase()} every ${reason.cadenceDays} days (${since(reason.lastEffectiveContact, locale)})`;
    case 'lowFrequency':
      return zh
        ? `低频池：跟进${reason.followUpsWithoutSale}次未成交，每${reason.cadenceDays}天联系`
        : `low-frequency pool: ${reason.followUpsWithoutSale} follow-ups without a sale, every ${reason.cadenceDays} days`;
    case 'minimumContact':
      return zh
        ? `至少每${reason.limitDays}天有效联系一次（${since(reason.lastEffectiveContact, locale)}）`
        : `minimum one effective contact every ${reason.limitDays} days (${since(reason.lastEffectiveContact, locale)})`;
    case 'maturity':
      return zh ? `产品${reason.maturityDate}到期，到期再营销` : `product matures ${reason.maturityDate}: re-market`;
    case 'dormant':
      return zh ? '休眠客户，待激活' : 'dormant: activate';
    case 'handoffFirstContact':
      return zh ? `提升移交首次联系，${reason.due}前完成` : `hand-off first contact due ${reason.due}`;
    case 'nextStep':
      return zh ? `约定下一步：${reason.note}` : `agreed next step: ${reason.note}`;
  }
}
