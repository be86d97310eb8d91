import type { ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { isCanonicalEventType } from '../contracts/canonical-event-types';
import type { CanonicalEventType } from '../contracts/canonical-event-types';
import type { CanonicalEvent } from '../contracts/canonical-event';
import { DATA_SCHEMAS, Envelope } from '../contracts/canonical-event';
import type { Decoded } from '../contracts/decoded';
import { accepted, rejected } from '../contracts/decoded';
import { findSecret, MAX_SCAN_DEPTH, SECRET_REASON } from '../secrets/secret-detector';
import { reasonFromAjvErrors } from './ajv-error-reason';
import { isRfc3339 } from './rfc3339';

/**
 * Validation of canonical events: the schemas are declared once (TypeBox) and compiled once, at
 * module load, into ajv validators — the ingest hot path runs generated code, not reflection
 * (docs/events.md, "Why the event contracts are TypeBox schemas", has the measurement).
 */
const ajv = new Ajv({
  allErrors: false,
  // Unknown keywords and formats are errors, so a typo in a schema cannot silently validate nothing.
  strict: true,
  // `anyOf: [{ required: [...] }]` names properties declared beside it, which strict mode would refuse.
  strictRequired: false,
});
addFormats(ajv, ['email']);
// RFC 3339 exactly (ajv-formats also admits `+0200` and missing offsets), by the parser that converts it.
ajv.addFormat('date-time', { type: 'string', validate: isRfc3339 });

const validateEnvelope = ajv.compile(Envelope);

const DATA_VALIDATORS: { readonly [K in CanonicalEventType]: ValidateFunction } = compileDataValidators();

function compileDataValidators(): { [K in CanonicalEventType]: ValidateFunction } {
  const compiled = new Map<TSchema, ValidateFunction>();
  const validators = {} as { [K in CanonicalEventType]: ValidateFunction };
  for (const [type, schema] of Object.entries(DATA_SCHEMAS) as [CanonicalEventType, TSchema][]) {
    let validate = compiled.get(schema);
    if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
    validators[type] = validate;
  }
  return validators;
}

/**
 * Check that `value` (parsed JSON, or an object decoded from a native format) is a canonical
 * event: the envelope, a known type, the type's `data`, and no secret value anywhere in it.
 * The reason of a rejection names the field and never quotes a secret.
 */
export function validateCanonical(value: unknown): Decoded<CanonicalEvent> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return rejected(`event: must be a JSON object, not ${describe(value)}`, null);
  }
  const record = value as Record<string, unknown>;
  const envelope = { source: record['source'], type: record['type'] };
  if (!validateEnvelope(value)) {
    const { field, reason } = reasonFromAjvErrors(validateEnvelope.errors ?? [], '');
    return rejected(reason, field, envelope);
  }
  const type = record['type'] as string;
  if (!isCanonicalEventType(type)) {
    return rejected(`type: unknown event type ${JSON.stringify(type)}`, 'type', envelope);
  }
  const validateData = DATA_VALIDATORS[type];
  if (!validateData(record['data'])) {
    const { field, reason } = reasonFromAjvErrors(validateData.errors ?? [], 'data');
    return rejected(reason, field, envelope);
  }
  const secret = findSecret(value);
  if (secret) {
    const why = secret.rule === 'too-deep' ? `nested deeper than ${MAX_SCAN_DEPTH} levels` : SECRET_REASON;
    return rejected(`${secret.path}: ${why}`, secret.path, envelope);
  }
  return accepted(value as CanonicalEvent);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
