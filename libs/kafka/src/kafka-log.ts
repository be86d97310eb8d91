/**
 * Structured log lines for the Kafka transport: a message plus correlation fields (topic,
 * partition, offsets, counts, error codes). Never a payload, never a header value, never a key:
 * any of them may carry personal data, and a bad event may carry a secret.
 */
export type KafkaLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type KafkaLogFields = Readonly<Record<string, string | number | boolean | null>>;
export type KafkaLog = (level: KafkaLogLevel, message: string, fields?: KafkaLogFields) => void;

export const silentKafkaLog: KafkaLog = () => undefined;

/** What may be logged of an error: its name, code and message (never a stack with values in it). */
export function errorFields(error: unknown): KafkaLogFields {
  if (!(error instanceof Error)) return { error: String(error).slice(0, 500) };
  const code = (error as { code?: unknown }).code;
  return {
    error: error.message.slice(0, 500),
    errorName: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { errorCode: code } : {}),
  };
}
