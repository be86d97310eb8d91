import type { Decoded, Rejection } from '../contracts/decoded';
import { accepted, rejected } from '../contracts/decoded';

/** The largest event accepted, in bytes of its encoded form (256 KiB). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** A rejection when `bytes` is over the limit; checked before parsing, so size costs nothing. */
export function checkSize(bytes: Uint8Array, limit: number = MAX_EVENT_BYTES): Rejection | null {
  return bytes.byteLength > limit
    ? rejected(`payload of ${bytes.byteLength} bytes exceeds the limit of ${limit} bytes`, null)
    : null;
}

/**
 * Parse one JSON document (UTF-8, an optional byte-order mark). The parser's message is kept
 * but V8's quotation of the input is cut out: the input may hold a secret, and the reason is
 * stored and logged.
 */
export function parseJson(bytes: Buffer): Decoded<unknown> {
  const tooLarge = checkSize(bytes);
  if (tooLarge) return tooLarge;
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return accepted(JSON.parse(text) as unknown);
  } catch (error) {
    return rejected(`malformed JSON: ${parserMessage(error)}`, null);
  }
}

/** `Unexpected token 'g', "ghp_…"... is not valid JSON` → `Unexpected token 'g'`. */
export function parserMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const withoutQuote = message.replace(/,?\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s*is not valid JSON$/, '').trim();
  return withoutQuote === '' ? 'not valid JSON' : withoutQuote;
}
