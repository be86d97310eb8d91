import type { LoggerService, LogLevel } from '@nestjs/common';

/**
 * The CLI's logger: structured JSON lines on stderr, so that stdout carries only what a command
 * prints for its caller (an ingestion summary, a new key). Never given a payload or a secret.
 */
export class StderrLogger implements LoggerService {
  constructor(
    private readonly levels: readonly LogLevel[] = ['error', 'warn'],
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  log(message: unknown, context?: string): void {
    this.write('log', message, context);
  }

  error(message: unknown, stackOrContext?: string, context?: string): void {
    this.write('error', message, context ?? stackOrContext);
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, context?: string): void {
    this.write('verbose', message, context);
  }

  private write(level: LogLevel, message: unknown, context: string | undefined): void {
    // Nest reports a failed start under this context; the CLI reports the same error itself.
    if (!this.levels.includes(level) || context === 'ExceptionHandler') return;
    // Nest's libraries log objects ({ msg, eventId, … }): keep their fields as fields.
    const fields =
      message instanceof Error
        ? { msg: message.message }
        : typeof message === 'object' && message !== null
          ? (message as Record<string, unknown>)
          : { msg: String(message) };
    this.out.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), ...(context ? { context } : {}), ...fields })}\n`,
    );
  }
}
