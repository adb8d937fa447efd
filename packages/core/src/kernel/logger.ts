// Structured, plugin-tagged logging. The kernel never writes to a console directly except through
// the default sink, so a bank can route every record to its own log pipeline.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  level: LogLevel;
  message: string;
  /** The plugin the record is about, or undefined for the kernel itself. */
  pluginId?: string;
  fields?: Record<string, unknown>;
  error?: unknown;
  time: string;
}

export type LogSink = (record: LogRecord) => void;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, error?: unknown, fields?: Record<string, unknown>): void;
}

export const consoleLogSink: LogSink = (record) => {
  const tag = record.pluginId === undefined ? '[kequn]' : `[kequn:${record.pluginId}]`;
  const extra: unknown[] = [];
  if (record.fields !== undefined) extra.push(record.fields);
  if (record.error !== undefined) extra.push(record.error);
  console[record.level](`${tag} ${record.message}`, ...extra);
};

/** Drops debug records: the default for the console sink. */
export function minimumLevel(sink: LogSink, level: LogLevel): LogSink {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return (record) => {
    if (order[record.level] >= order[level]) sink(record);
  };
}

export function createLogger(sink: LogSink, pluginId?: string): Logger {
  const write = (
    level: LogLevel,
    message: string,
    fields?: Record<string, unknown>,
    error?: unknown,
  ): void => {
    const record: LogRecord = { level, message, time: new Date().toISOString() };
    if (pluginId !== undefined) record.pluginId = pluginId;
    if (fields !== undefined) record.fields = fields;
    if (error !== undefined) record.error = error;
    sink(record);
  };
  return Object.freeze({
    debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
    info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
    warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
    error: (message: string, error?: unknown, fields?: Record<string, unknown>) =>
      write('error', message, fields, error),
  });
}
