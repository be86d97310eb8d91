import { validateCanonical } from '../validation/canonical-validator';
import { MAX_EVENT_BYTES } from './json-decoder';
import { fromHttpBinary } from './http-binary-decoder';

const headers = {
  'ce-specversion': '1.0',
  'ce-id': 'evt-42',
  'ce-source': 'hr/workday/acme',
  'ce-type': 'hr.person.left',
  'ce-time': '2024-07-01T06:00:00Z',
  'content-type': 'application/json; charset=utf-8',
  host: 'lineage.example.com',
};
const body = Buffer.from(JSON.stringify({ personId: 'person:e1001', reason: 'resigned' }));

describe('fromHttpBinary (CloudEvents HTTP binding, binary mode)', () => {
  it('maps ce- headers to attributes, Content-Type to datacontenttype and the body to data', () => {
    const decoded = fromHttpBinary(headers, body);
    expect(decoded).toEqual({
      ok: true,
      value: {
        specversion: '1.0',
        id: 'evt-42',
        source: 'hr/workday/acme',
        type: 'hr.person.left',
        time: '2024-07-01T06:00:00Z',
        datacontenttype: 'application/json; charset=utf-8',
        data: { personId: 'person:e1001', reason: 'resigned' },
      },
    });
    expect(decoded.ok && validateCanonical(decoded.value).ok).toBe(true);
  });

  it('reads header names case-insensitively, keeps extensions and percent-decodes values', () => {
    const decoded = fromHttpBinary(
      {
        'CE-SpecVersion': '1.0',
        'Ce-Id': 'evt-43',
        'ce-source': 'hr/workday/acme%20eu',
        'ce-type': 'hr.person.left',
        'ce-time': '2024-07-01T06:00:00Z',
        'ce-subject': 'person%3Ae1001',
        'ce-traceparent': '00-abc-01',
      },
      body,
    );
    expect(decoded.ok && decoded.value).toMatchObject({
      id: 'evt-43',
      source: 'hr/workday/acme eu',
      subject: 'person:e1001',
      traceparent: '00-abc-01',
    });
  });

  it('accepts a +json content type and a repeated header with one value', () => {
    const decoded = fromHttpBinary(
      { ...headers, 'content-type': 'application/vnd.acme.hr+json', 'ce-id': ['evt-42', 'evt-42'] },
      body,
    );
    expect(decoded.ok && decoded.value).toMatchObject({
      id: 'evt-42',
      datacontenttype: 'application/vnd.acme.hr+json',
    });
  });

  it('leaves data out of an empty body, for the validator to report', () => {
    const decoded = fromHttpBinary(headers, Buffer.alloc(0));
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && validateCanonical(decoded.value)).toEqual({
      ok: false,
      reason: 'data: is required',
      field: 'data',
      source: 'hr/workday/acme',
      type: 'hr.person.left',
    });
  });

  it('leaves a missing attribute for the validator to report', () => {
    const { 'ce-specversion': _omitted, ...rest } = headers;
    const decoded = fromHttpBinary(rest, body);
    expect(decoded.ok && validateCanonical(decoded.value)).toEqual({
      ok: false,
      reason: 'specversion: is required',
      field: 'specversion',
      source: 'hr/workday/acme',
      type: 'hr.person.left',
    });
  });

  it('rejects a body that is not JSON', () => {
    expect(fromHttpBinary(headers, Buffer.from('{"personId":'))).toEqual({
      ok: false,
      reason: 'data: malformed JSON: Unexpected end of JSON input',
      field: 'data',
      source: 'hr/workday/acme',
      type: 'hr.person.left',
    });
  });

  it('rejects a non-JSON content type', () => {
    expect(fromHttpBinary({ ...headers, 'content-type': 'text/plain' }, body)).toEqual({
      ok: false,
      reason: 'datacontenttype: must be application/json or a +json type, not "text/plain"',
      field: 'datacontenttype',
      source: 'hr/workday/acme',
      type: 'hr.person.left',
    });
  });

  it('rejects an attribute header repeated with different values', () => {
    expect(fromHttpBinary({ ...headers, 'ce-id': ['evt-1', 'evt-2'] }, body)).toEqual({
      ok: false,
      reason: 'id: header ce-id appears more than once with different values',
      field: 'id',
      source: 'hr/workday/acme',
      type: 'hr.person.left',
    });
  });

  it('rejects broken percent-encoding', () => {
    const result = fromHttpBinary({ ...headers, 'ce-subject': 'person%E0%A4%A' }, body);
    expect(result).toMatchObject({
      ok: false,
      reason: 'subject: header ce-subject is not valid percent-encoding',
      field: 'subject',
    });
  });

  it('rejects an oversized body before parsing it', () => {
    const result = fromHttpBinary(headers, Buffer.alloc(MAX_EVENT_BYTES + 5, ' '));
    expect(result).toEqual({
      ok: false,
      reason: `payload of ${MAX_EVENT_BYTES + 5} bytes exceeds the limit of ${MAX_EVENT_BYTES} bytes`,
      field: null,
      source: 'hr/workday/acme',
      type: 'hr.person.left',
    });
  });
});
