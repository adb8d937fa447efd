// How dates, slots and event names read in invitations: "11月20日(周五)" / "Friday 20 November 2026".
import { toEpochDay, type LocalizedText } from '@kequn/core';
import type { EventKind, TimeSlot } from './parameters.js';

const weekdaysZh = ['周四', '周五', '周六', '周日', '周一', '周二', '周三'];
const weekdaysEn = ['Thursday', 'Friday', 'Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday'];
const monthsEn = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The event day with its weekday; 1970-01-01 (epoch day 0) was a Thursday. */
export function formatEventDate(isoDate: string): LocalizedText {
  const weekday = ((toEpochDay(isoDate) % 7) + 7) % 7;
  const [year, month, day] = isoDate.split('-').map(Number);
  return {
    'zh-CN': `${String(month)}月${String(day)}日(${weekdaysZh[weekday] ?? ''})`,
    en: `${weekdaysEn[weekday] ?? ''} ${String(day)} ${monthsEn[(month ?? 1) - 1] ?? ''} ${String(year)}`,
  };
}

export function formatSlot(slot: TimeSlot): string {
  return `${slot.start}–${slot.end}`;
}

export const defaultEventNames: Readonly<Record<EventKind, LocalizedText>> = {
  appointment: { 'zh-CN': '“个人理财规划成长”一对一面谈', en: 'one-to-one personal wealth-plan review' },
  salon: { 'zh-CN': '客户理财沙龙', en: 'customer wealth salon' },
  lecture: { 'zh-CN': '理财知识讲座', en: 'personal finance talk' },
  open_day: { 'zh-CN': '网点开放日', en: 'branch open day' },
  care_event: { 'zh-CN': '客户关怀活动', en: 'customer appreciation event' },
};
