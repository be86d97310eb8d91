import { MAX_EVENT_BYTES, checkSize, parseJson, parserMessage } from './json-decoder';

describe('parseJson', () => {
  it('parses a document, with or without a byte-order mark', () => {
    expect(parseJson(Buffer.from('{"a":[1,"x"]}'))).toEqual({ ok: true, value: { a: [1, 'x'] } });
    expect(parseJson(Buffer.from('\uFEFF{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('rejects malformed JSON with the parser message', () => {
    expect(parseJson(Buffer.from('{"a":'))).toEqual({
      ok: false,
      reason: 'malformed JSON: Unexpected end of JSON input',
      field: null,
      source: null,
      type: null,
    });
    expect(parseJson(Buffer.alloc(0))).toEqual({
      ok: false,
      reason: 'malformed JSON: Unexpected end of JSON input',
      field: null,
      source: null,
      type: null,
    });
  });

  it('cuts the parser’s quotation of the input out of the reason', () => {
    const secretish = 'tokensecretvalue123 and more text after it';
    const result = parseJson(Buffer.from(secretish));
    expect(result).toEqual({
      ok: false,
      reason: "malformed JSON: Unexpected token 'o'",
      field: null,
      source: null,
      type: null,
    });
    expect(JSON.stringify(result)).not.toContain('secretvalue');
    expect(parserMessage(new SyntaxError('"undefined" is not valid JSON'))).toBe('not valid JSON');
  });

  it('rejects a payload over the limit before parsing it', () => {
    const bytes = Buffer.alloc(MAX_EVENT_BYTES + 1, ' ');
    expect(parseJson(bytes)).toEqual({
      ok: false,
      reason: `payload of ${MAX_EVENT_BYTES + 1} bytes exceeds the limit of ${MAX_EVENT_BYTES} bytes`,
      field: null,
      source: null,
      type: null,
    });
  });

  it('accepts a payload of exactly the limit', () => {
    expect(MAX_EVENT_BYTES).toBe(256 * 1024);
    const json = `{"pad":"${'x'.repeat(MAX_EVENT_BYTES - 10)}"}`;
    expect(Buffer.byteLength(json)).toBe(MAX_EVENT_BYTES);
    expect(checkSize(Buffer.from(json))).toBeNull();
    expect(parseJson(Buffer.from(json)).ok).toBe(true);
  });

  it('measures bytes, not characters', () => {
    const text = 'é'.repeat(MAX_EVENT_BYTES / 2 + 1); // two bytes each
    expect(checkSize(Buffer.from(text))?.reason).toBe(
      `payload of ${MAX_EVENT_BYTES + 2} bytes exceeds the limit of ${MAX_EVENT_BYTES} bytes`,
    );
  });
});
