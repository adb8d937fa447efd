// The bank's business clock: a fixed UTC offset. China Standard Time (+08:00) has no daylight
// saving, so local dates and times are plain arithmetic and no time-zone database is needed.
import { fromEpochDay, toEpochDay } from '@kequn/core';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** `+08:00` → 480; `-03:30` → -210. The caller has validated the shape. */
export function offsetMinutesOf(utcOffset: string): number {
  const sign = utcOffset.startsWith('-') ? -1 : 1;
  const hours = Number(utcOffset.slice(1, 3));
  const minutes = Number(utcOffset.slice(4, 6));
  return sign * (hours * 60 + minutes);
}

/** `HH:MM` → minutes since local midnight. */
export function minutesOfTime(timeOfDay: string): number {
  return Number(timeOfDay.slice(0, 2)) * 60 + Number(timeOfDay.slice(3, 5));
}

export class BankClock {
  readonly utcOffset: string;
  private readonly offsetMs: number;

  constructor(utcOffset: string) {
    this.utcOffset = utcOffset;
    this.offsetMs = offsetMinutesOf(utcOffset) * MS_PER_MINUTE;
  }

  /** Days since 1970-01-01 on the bank's calendar. */
  epochDayOf(instantMs: number): number {
    return Math.floor((instantMs + this.offsetMs) / MS_PER_DAY);
  }

  dateOf(instantMs: number): string {
    return fromEpochDay(this.epochDayOf(instantMs));
  }

  /** Milliseconds since the bank's local midnight. */
  msIntoDay(instantMs: number): number {
    const local = instantMs + this.offsetMs;
    return ((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  }

  /** The instant of local midnight that starts the given bank date. */
  startOfDate(date: string): number {
    return toEpochDay(date) * MS_PER_DAY - this.offsetMs;
  }

  /** `HH:MM` on the bank's wall clock. */
  timeOfDay(instantMs: number): string {
    const minutes = Math.floor(this.msIntoDay(instantMs) / MS_PER_MINUTE);
    return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
  }

  /** An ISO instant printed in the bank's offset, e.g. `2026-10-08T08:00:00+08:00`. */
  format(instantMs: number): string {
    const local = new Date(instantMs + this.offsetMs).toISOString();
    const fraction = instantMs % 1000 === 0 ? '' : local.slice(19, 23);
    return `${local.slice(0, 19)}${fraction}${this.utcOffset}`;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Parses an instant that has already been validated as ISO 8601 with an offset or `Z`. */
export function instantMs(instant: string): number {
  return Date.parse(instant);
}
