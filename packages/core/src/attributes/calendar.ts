// Calendar arithmetic on ISO dates as whole days since 1970-01-01. Pure integer arithmetic
// (after Howard Hinnant's civil-date algorithms) avoids Date's time-zone and two-digit-year traps.

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Day number of an ISO date `YYYY-MM-DD`, or undefined when it is not a real calendar date. */
export function parseEpochDay(isoDate: string): number | undefined {
  const match = isoDatePattern.exec(isoDate);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** Day number of an ISO date; throws a RangeError on anything that is not `YYYY-MM-DD`. */
export function toEpochDay(isoDate: string): number {
  const day = parseEpochDay(isoDate);
  if (day === undefined)
    throw new RangeError(`"${isoDate}" is not a calendar date in the form YYYY-MM-DD`);
  return day;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The ISO date `YYYY-MM-DD` of a day number. */
export function fromEpochDay(epochDay: number): string {
  const shifted = epochDay + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Whole years between a birth date and a reference date (the age on that day). */
export function wholeYearsBetween(fromIsoDate: string, toIsoDate: string): number {
  const years = Number(toIsoDate.slice(0, 4)) - Number(fromIsoDate.slice(0, 4));
  const birthdayNotYetReached = toIsoDate.slice(5, 10) < fromIsoDate.slice(5, 10);
  return birthdayNotYetReached ? years - 1 : years;
}
