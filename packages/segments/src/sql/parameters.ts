// Bound parameters. Every value of a rule reaches the database through here and only through here:
// the SQL text holds placeholders, in the order the values were bound.
import type { DialectRules } from './dialect.js';

export class SqlParameters {
  readonly #values: unknown[] = [];

  constructor(private readonly rules: DialectRules) {}

  get values(): unknown[] {
    return [...this.#values];
  }

  /** Binds a value and returns its placeholder; MySQL's `?` is positional, so call in text order. */
  bind(value: unknown): string {
    this.#values.push(value);
    return this.rules.placeholder(this.#values.length);
  }

  number(value: number): string {
    return this.rules.numberParameter(this.bind(value));
  }

  /** An ISO date `YYYY-MM-DD`, cast so every dialect compares it as a date, never as text. */
  date(isoDate: string): string {
    return `CAST(${this.bind(isoDate)} AS DATE)`;
  }
}
