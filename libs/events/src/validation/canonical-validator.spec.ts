import { CANONICAL_EVENT_TYPES } from '../contracts/canonical-event-types';
import { parseJson } from '../decoding/json-decoder';
import { acceptedFixtures, fixtureLines, rejectedCases } from '../testing/canonical-fixtures';
import { MAX_SCAN_DEPTH } from '../secrets/secret-detector';
import { validateCanonical } from './canonical-validator';

function decode(bytes: Buffer): ReturnType<typeof validateCanonical> {
  const parsed = parseJson(bytes);
  return parsed.ok ? validateCanonical(parsed.value) : parsed;
}

describe('validateCanonical', () => {
  describe('accepts the canonical fixtures', () => {
    it('covers every canonical type at least once', () => {
      const types = new Set(acceptedFixtures().map((event) => event.type));
      expect([...types].sort()).toEqual([...CANONICAL_EVENT_TYPES].sort());
    });

    it('returns each event as it came, extensions and unknown data fields included', () => {
      const line = fixtureLines('audit.ndjson')[0]!;
      const result = decode(Buffer.from(line));
      expect(result).toEqual({ ok: true, value: JSON.parse(line) });
      const hr = decode(Buffer.from(fixtureLines('hr.ndjson')[0]!));
      expect(hr.ok && (hr.value.data as Record<string, unknown>)['badgeColour']).toBe('blue');
    });
  });

  describe('rejects, naming the field', () => {
    it.each(rejectedCases().map((c) => [c.case, c] as const))('%s', (_name, c) => {
      const result = c.raw !== undefined ? decode(Buffer.from(c.raw)) : validateCanonical(c.event);
      expect(result).toEqual({ ok: false, ...c.expect });
    });
  });

  it('never quotes a secret back in the reason', () => {
    for (const c of rejectedCases().filter((each) => each.expect.reason.includes('looks like a secret'))) {
      const result = validateCanonical(c.event);
      expect(result.ok).toBe(false);
      const secretValues = JSON.stringify(c.event).match(/"(?:password|clientSecret|fingerprint)":"([^"]+)"/);
      expect(secretValues).not.toBeNull();
      expect(JSON.stringify(result)).not.toContain(secretValues![1]);
    }
  });

  it('keeps a secret out of the rejection even when it sits in the envelope', () => {
    const token = 'gh' + 'p_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const result = validateCanonical({
      specversion: '1.0',
      id: 'e',
      source: token,
      type: 'hr.person.left',
      time: '2024-01-01T00:00:00Z',
      data: { personId: 'person:e1' },
    });
    expect(result).toEqual({
      ok: false,
      reason: 'source: looks like a secret value; send a fingerprint, never the secret',
      field: 'source',
      source: null,
      type: 'hr.person.left',
    });
  });

  it('rejects data nested too deep to check for secrets', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 40; i++) deep = [deep];
    const result = validateCanonical({
      specversion: '1.0',
      id: 'e',
      source: 's',
      type: 'hr.person.left',
      time: '2024-01-01T00:00:00Z',
      data: { personId: 'person:e1', extra: deep },
    });
    // The event is depth 0 and `data.extra` depth 2: the array at MAX_SCAN_DEPTH is the one refused.
    const field = `data.extra${'[0]'.repeat(MAX_SCAN_DEPTH - 2)}`;
    expect(result).toEqual({
      ok: false,
      reason: `${field}: nested deeper than 32 levels`,
      field,
      source: 's',
      type: 'hr.person.left',
    });
  });

  it('rejects values above their bound', () => {
    const result = validateCanonical({
      specversion: '1.0',
      id: 'e',
      source: 's',
      type: 'vendor.onboarded',
      time: '2024-01-01T00:00:00Z',
      data: { vendorId: 'vendor:x', name: 'N'.repeat(257) },
    });
    expect(result).toEqual({
      ok: false,
      reason: 'data.name: must be at most 256 characters',
      field: 'data.name',
      source: 's',
      type: 'vendor.onboarded',
    });
  });

  it.each([
    ['null', null, 'null'],
    ['a string', 'hr.person.joined', 'a string'],
    ['a number', 42, 'a number'],
  ])('rejects %s as an event', (_what, value, description) => {
    expect(validateCanonical(value)).toEqual({
      ok: false,
      reason: `event: must be a JSON object, not ${description}`,
      field: null,
      source: null,
      type: null,
    });
  });
});
