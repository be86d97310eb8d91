import type { LoggerService } from '@nestjs/common';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where log lines go; `process.stdout` in production, a buffer in tests. */
export interface LogSink {
  write(line: string): unknown;
}

/**
 * API keys and bearer credentials, wherever they appear in a line. Call sites never log them;
 * this is the second line of defence, so a mistake leaks a key id at most, never a secret.
 */
const KEY_PATTERN = /nhil_([0-9a-f]{16})_[A-Za-z0-9_-]+/g;
const BEARER_PATTERN = /(bearer\s+)[^\s"\\]+/gi;

/**
 * A Nest `LoggerService` writing one JSON object per line: `time`, `level`, `context`, `msg`
 * and whatever structured fields the caller passed. Callers log ids, counts and outcomes;
 * never a payload, a header or a secret.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: LogLevel = 'info',
    private readonly sink: LogSink = process.stdout,
  ) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  isEnabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(this.minimum);
  }

  private write(level: LogLevel, message: unknown, params: readonly unknown[]): void {
    if (!this.isEnabled(level)) return;
    const rest = [...params];
    // Nest passes the context last, and for errors the stack before it.
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' ? rest[0] : undefined;
    const entry: Record<string, unknown> = { ...describe(message) };
    if (stack && entry['stack'] === undefined) entry['stack'] = stack;
    const line = { time: new Date().toISOString(), level, ...(context ? { context } : {}), ...entry };
    this.sink.write(redact(serialise(line)) + '\n');
  }
}

function describe(message: unknown): Record<string, unknown> {
  if (message instanceof Error) return { msg: message.message, error: message.name, stack: message.stack };
  if (message !== null && typeof message === 'object' && !Array.isArray(message)) {
    // `time` and `level` belong to the logger.
    const { time: _time, level: _level, ...fields } = message as Record<string, unknown>;
    return fields;
  }
  return { msg: String(message) };
}

function serialise(line: Record<string, unknown>): string {
  try {
    return JSON.stringify(line, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch {
    // A circular structure: keep the line, lose the fields.
    const msg = typeof line['msg'] === 'string' ? line['msg'] : '(unserialisable log fields)';
    return JSON.stringify({ time: line['time'], level: line['level'], context: line['context'], msg });
  }
}

export function redact(line: string): string {
  return line.replace(KEY_PATTERN, 'nhil_$1_[redacted]').replace(BEARER_PATTERN, '$1[redacted]');
}
