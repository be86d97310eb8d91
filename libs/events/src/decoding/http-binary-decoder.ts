import type { Decoded } from '../contracts/decoded';
import { accepted, rejected } from '../contracts/decoded';
import { checkSize, parseJson } from './json-decoder';

/**
 * CloudEvents HTTP binding, binary content mode: the context attributes travel as `ce-<name>`
 * headers (percent-encoded, spec section 3.1.3.2), `Content-Type` is `datacontenttype`, and the
 * body is `data`. The result is the structured-mode object, to be checked by `validateCanonical`
 * like any other. Canonical `data` is a JSON object, so the body must be JSON.
 */
export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

const ATTRIBUTE_PREFIX = 'ce-';
/** `application/json`, `text/json` and any `+json` structured-syntax suffix, with parameters. */
const JSON_CONTENT_TYPE = /^(?:application|text)\/(?:[\w.!#$&^-]+\+)?json\s*(?:;.*)?$/i;

export function fromHttpBinary(headers: HttpHeaders, body: Buffer): Decoded<unknown> {
  const event: Record<string, unknown> = {};
  let contentType: string | undefined;
  // The first bad header, reported once every header is read (so the rejection has source and type).
  let problem: { reason: string; field: string } | undefined;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    const isAttribute = name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length;
    if (!isAttribute && name !== 'content-type') continue;
    const attribute = isAttribute ? name.slice(ATTRIBUTE_PREFIX.length) : 'datacontenttype';
    const value = single(rawValue);
    if (value === undefined) continue;
    if (value === null) {
      problem ??= {
        field: attribute,
        reason: `${attribute}: header ${name} appears more than once with different values`,
      };
    } else if (!isAttribute) {
      contentType = value;
    } else {
      const decoded = percentDecode(value);
      if (decoded === null)
        problem ??= { field: attribute, reason: `${attribute}: header ${name} is not valid percent-encoding` };
      else event[attribute] = decoded;
    }
  }
  if (problem) return rejected(problem.reason, problem.field, envelopeOf(event));
  if (contentType !== undefined) event['datacontenttype'] = contentType;

  const tooLarge = checkSize(body);
  if (tooLarge) return rejected(tooLarge.reason, null, envelopeOf(event));
  if (body.byteLength === 0) return accepted(event);
  if (contentType !== undefined && !JSON_CONTENT_TYPE.test(contentType)) {
    return rejected(
      `datacontenttype: must be application/json or a +json type, not ${JSON.stringify(contentType.slice(0, 128))}`,
      'datacontenttype',
      envelopeOf(event),
    );
  }
  const data = parseJson(body);
  if (!data.ok) return rejected(`data: ${data.reason}`, 'data', envelopeOf(event));
  event['data'] = data.value;
  return accepted(event);
}

/** One header value; null when a header repeats with different values (which one is the attribute?). */
function single(value: string | readonly string[] | undefined): string | null | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (value.length === 0) return undefined;
  return value.every((v) => v === value[0]) ? value[0] : null;
}

function percentDecode(value: string): string | null {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

function envelopeOf(event: Record<string, unknown>): { source: unknown; type: unknown } {
  return { source: event['source'], type: event['type'] };
}
