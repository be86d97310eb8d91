import { secretRule } from '../secrets/secret-detector';

/**
 * The outcome of a decoding or validation step. A failure says why, in a form fit for a
 * dead-letter record: the reason names the field (`data.personId: is required`), and `source` and
 * `type` carry what could be read of the envelope, for counting rejections per source.
 */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly field: string | null;
      readonly source: string | null;
      readonly type: string | null;
    };

export type Rejection = Extract<Decoded<unknown>, { ok: false }>;

export function accepted<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

/** A rejection; `envelope` holds the raw `source` and `type` attributes, if any were read. */
export function rejected(
  reason: string,
  field: string | null,
  envelope: { source?: unknown; type?: unknown } = {},
): Rejection {
  return {
    ok: false,
    reason,
    field,
    source: envelopeAttribute(envelope.source),
    type: envelopeAttribute(envelope.type),
  };
}

/** An envelope attribute fit to go into a dead-letter record: a bounded string that is no secret. */
function envelopeAttribute(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1024) return null;
  return secretRule(value, null) === null ? value : null;
}
