import { fixtureLines } from '../../../../tests/fixtures/native/native-fixtures';
import { NODE_KINDS } from '@lineage/domain';
import { transformEvent } from '../transform/event-transformer';
import { validateCanonical } from '../validation/canonical-validator';
import type { NativeDecoded, NativeFormat } from './index';
import { NATIVE_FORMATS, decodeNative, detectNativeFormat } from './index';

/**
 * Every line of every real sample file: decoded with its format named, each either yields
 * canonical events that pass the canonical validator or is rejected with a reason that names a
 * field; nothing throws; detection never mistakes one format for another.
 */

interface SampleFile {
  readonly file: string;
  readonly format: NativeFormat;
  /** The body and headers a transport would pass for one line of the file. */
  readonly delivery: (line: Record<string, unknown>) => [unknown, Record<string, string> | undefined];
  /** Lines that decode, lines rejected, canonical events in all, lines detected as `format` without a hint. */
  readonly expected: { decoded: number; rejected: number; events: number; detected: number };
}

const bare = (line: Record<string, unknown>): [unknown, undefined] => [line, undefined];
const payloadOf = (line: Record<string, unknown>): [unknown, undefined] => [line['payload'], undefined];

const FILES: readonly SampleFile[] = [
  {
    file: 'panther/AWS.CloudTrail.ndjson',
    format: 'aws.cloudtrail',
    delivery: bare,
    expected: { decoded: 444, rejected: 6, events: 20, detected: 450 },
  },
  {
    file: 'panther/GCP.AuditLog.ndjson',
    format: 'gcp.auditlog',
    delivery: bare,
    expected: { decoded: 180, rejected: 16, events: 28, detected: 189 },
  },
  {
    file: 'panther/Okta.SystemLog.ndjson',
    format: 'okta.systemlog',
    delivery: bare,
    expected: { decoded: 71, rejected: 2, events: 4, detected: 73 },
  },
  {
    file: 'panther/Azure.Audit.ndjson',
    format: 'azure.entra',
    delivery: bare,
    expected: { decoded: 47, rejected: 0, events: 5, detected: 47 },
  },
  {
    file: 'panther/Microsoft365.Audit.AzureActiveDirectory.ndjson',
    format: 'azure.entra',
    delivery: bare,
    expected: { decoded: 4, rejected: 0, events: 0, detected: 4 },
  },
  {
    file: 'panther/GitHub.Audit.ndjson',
    format: 'github.audit',
    delivery: bare,
    expected: { decoded: 98, rejected: 0, events: 4, detected: 97 },
  },
  {
    file: 'panther/GitHub.Webhook.ndjson',
    format: 'github.webhook',
    delivery: bare,
    expected: { decoded: 54, rejected: 20, events: 0, detected: 74 },
  },
  {
    file: 'panther/GitLab.Audit.ndjson',
    format: 'gitlab.audit',
    delivery: bare,
    expected: { decoded: 0, rejected: 3, events: 0, detected: 0 },
  },
  {
    file: 'panther/Amazon.EKS.Audit.ndjson',
    format: 'k8s.audit',
    delivery: bare,
    expected: { decoded: 131, rejected: 55, events: 3, detected: 186 },
  },
  {
    file: 'falco_k8s_audit/k8s_audit.ndjson',
    format: 'k8s.audit',
    delivery: bare,
    expected: { decoded: 51, rejected: 1, events: 14, detected: 51 },
  },
  {
    file: 'octokit_webhooks/envelope.ndjson',
    format: 'github.webhook',
    delivery: (line) => [line['payload'], { 'X-GitHub-Event': String(line['x_github_event']) }],
    expected: { decoded: 271, rejected: 2, events: 18, detected: 273 },
  },
  {
    file: 'gitlab_webhooks/envelope.ndjson',
    format: 'gitlab.webhook',
    delivery: payloadOf,
    expected: { decoded: 21, rejected: 0, events: 9, detected: 21 },
  },
  {
    file: 'scim_rfc_examples/envelope.ndjson',
    format: 'scim',
    delivery: payloadOf,
    expected: { decoded: 40, rejected: 9, events: 5, detected: 49 },
  },
];

/** The format `decodeNative` recognises the body as, given only what a transport has (no format hint). */
function detected(body: unknown, headers: Record<string, string> | undefined): NativeFormat | null {
  const decoded = decodeNative(body, { headers });
  if (decoded === null) return null;
  return decoded.ok ? decoded.value.format : decoded.format;
}

function decodeAll(
  sample: SampleFile,
): { line: number; decoded: NativeDecoded | null; detected: NativeFormat | null }[] {
  return fixtureLines(sample.file).map((line, index) => {
    const [body, headers] = sample.delivery(line as Record<string, unknown>);
    return {
      line: index + 1,
      decoded: decodeNative(body, { format: sample.format, headers }),
      detected: detected(body, headers),
    };
  });
}

describe.each(FILES)('$file', (sample) => {
  const results = decodeAll(sample);

  it('decodes or rejects every line, in the expected numbers', () => {
    const decoded = results.filter((result) => result.decoded?.ok === true);
    const rejected = results.filter((result) => result.decoded?.ok === false);
    const events = decoded.flatMap((result) => (result.decoded?.ok === true ? result.decoded.value.events : []));
    expect(decoded.length + rejected.length).toBe(results.length);
    expect({ decoded: decoded.length, rejected: rejected.length, events: events.length }).toEqual({
      decoded: sample.expected.decoded,
      rejected: sample.expected.rejected,
      events: sample.expected.events,
    });
  });

  it('gives every rejection a reason that names its field', () => {
    for (const { decoded } of results) {
      if (decoded === null || decoded.ok) continue;
      expect(decoded.format).toBe(sample.format);
      if (decoded.field !== null) expect(decoded.reason.startsWith(`${decoded.field}: `)).toBe(true);
      expect(decoded.reason.length).toBeGreaterThan(decoded.field?.length ?? 0);
    }
  });

  it("yields only canonical events that pass the canonical validator, from the format's source", () => {
    for (const { line, decoded } of results) {
      if (decoded?.ok !== true) continue;
      for (const event of decoded.value.events) {
        const validated = validateCanonical(event);
        if (!validated.ok) throw new Error(`${sample.file}:${line}: ${validated.reason}`);
        expect(String(event['source']).startsWith(sample.format)).toBe(true);
      }
    }
  });

  it('names every node with the id prefix of the kind the transform gives it', () => {
    const mismatches: string[] = [];
    for (const { line, decoded } of results) {
      if (decoded?.ok !== true) continue;
      for (const event of decoded.value.events) {
        const validated = validateCanonical(event);
        if (!validated.ok) continue; // reported by the test above
        for (const fact of transformEvent(validated.value).facts) {
          if (fact.op !== 'node') continue;
          const prefix = fact.id.slice(0, fact.id.indexOf(':'));
          if (prefix !== NODE_KINDS[fact.kind].idPrefix) mismatches.push(`${line}: ${fact.kind} ${fact.id}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('is detected as its own format or not at all, never as another', () => {
    const detected = results.filter((result) => result.detected === sample.format).length;
    const confused = results.filter((result) => result.detected !== null && result.detected !== sample.format);
    expect(confused.map((result) => `${result.line}: ${String(result.detected)}`)).toEqual([]);
    expect(detected).toBe(sample.expected.detected);
  });
});

describe('decodeNative on garbage', () => {
  const cyclic: Record<string, unknown> = { kind: 'Event', verb: 'create' };
  cyclic['objectRef'] = cyclic;
  const hostile = Object.defineProperty({ eventName: 'CreateAccessKey' }, 'eventID', {
    enumerable: true,
    get(): never {
      throw new Error('boom');
    },
  });
  let deep: unknown = { eventName: 'CreateUser' };
  for (let depth = 0; depth < 10_000; depth++) deep = { requestParameters: deep, eventName: 'CreateUser' };
  let deepArray: unknown = [];
  for (let depth = 0; depth < 10_000; depth++) deepArray = [deepArray];

  const GARBAGE: readonly [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['NaN', Number.NaN],
    ['a string', '{"eventName":"CreateUser"}'],
    ['a boolean', true],
    ['an empty array', []],
    ['an array of records', [{ eventName: 'CreateUser' }]],
    ['an empty object', {}],
    ['an object without a prototype', Object.create(null) as unknown],
    ['a cyclic object', cyclic],
    ['an object whose getter throws', hostile],
    ['a deeply nested object', deep],
    ['a deeply nested array', deepArray],
    [
      'wrong types everywhere',
      {
        eventName: 7,
        eventID: [],
        eventTime: {},
        protoPayload: 'x',
        kind: 'Event',
        verb: 3,
        schemas: [1, null],
        action: {},
      },
    ],
  ];

  it.each(GARBAGE)('never throws on %s, with or without a format', (_name, value) => {
    expect(() => detectNativeFormat(value)).not.toThrow();
    expect(() => decodeNative(value)).not.toThrow();
    for (const format of NATIVE_FORMATS) {
      const decoded = decodeNative(value, { format, headers: { 'X-GitHub-Event': 'deploy_key', ':method': 'POST' } });
      expect(decoded).not.toBeNull();
      if (decoded?.ok === false) expect(decoded.reason).not.toBe('');
    }
  });

  it('rejects a value that is not an object when a format is named, and returns null when none is', () => {
    expect(decodeNative(null, { format: 'okta.systemlog' })).toEqual({
      ok: false,
      reason: 'the record must be a JSON object',
      field: null,
      format: 'okta.systemlog',
    });
    expect(decodeNative([{ eventName: 'CreateUser' }])).toBeNull();
    expect(
      decodeNative({
        specversion: '1.0',
        id: 'e1',
        source: 'hr',
        type: 'hr.person.left',
        time: '2024-01-01T00:00:00Z',
        data: { personId: 'person:e1' },
      }),
    ).toBeNull();
  });

  it('rejects an unknown format hint, naming it', () => {
    expect(decodeNative({}, { format: 'syslog' as NativeFormat })).toEqual({
      ok: false,
      reason: 'hint.format: is not a native format',
      field: 'hint.format',
      format: null,
    });
  });

  it('survives every real line with each top-level field replaced by a wrong type', () => {
    for (const sample of FILES.filter((file) => file.delivery === bare)) {
      for (const line of fixtureLines(sample.file).slice(0, 12)) {
        const record = line as Record<string, unknown>;
        for (const key of Object.keys(record)) {
          for (const wrong of [null, [], { nested: [] }]) {
            expect(() => decodeNative({ ...record, [key]: wrong }, { format: sample.format })).not.toThrow();
          }
        }
      }
    }
  });
});
