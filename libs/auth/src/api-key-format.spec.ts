import { apiKeyNhiId, generateApiKey, keyParts, parseApiKey } from './api-key-format';

describe('API key format', () => {
  test('a generated key parses back into its id and secret', () => {
    const generated = generateApiKey();
    expect(generated.key).toMatch(/^nhil_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(parseApiKey(generated.key)).toEqual({ id: generated.id, secret: generated.secret });
    expect(Buffer.from(generated.secret, 'base64url')).toHaveLength(32);
  });

  test('two keys share neither id nor secret', () => {
    const [a, b] = [generateApiKey(), generateApiKey()];
    expect(a.id).not.toBe(b.id);
    expect(a.secret).not.toBe(b.secret);
  });

  test.each([
    '',
    'nhil_',
    'nhil_0123456789abcdef',
    'nhil_0123456789ABCDEF_' + 'a'.repeat(43),
    'nhil_0123456789abcdef_' + 'a'.repeat(42),
    'xhil_0123456789abcdef_' + 'a'.repeat(43),
  ])('not a key of ours: %j', (token) => {
    expect(parseApiKey(token)).toBeNull();
  });

  test('a secret may contain underscores: the id ends at the second one', () => {
    const secret = `${'_'.repeat(3)}${'a'.repeat(40)}`;
    expect(parseApiKey(`nhil_0123456789abcdef_${secret}`)).toEqual({ id: '0123456789abcdef', secret });
  });

  test('an operator-chosen key gets a stable id derived from it, and is its own secret', () => {
    const parts = keyParts('my-own-admin-key-of-24-characters');
    expect(parts.id).toMatch(/^[0-9a-f]{16}$/);
    expect(parts.secret).toBe('my-own-admin-key-of-24-characters');
    expect(keyParts('my-own-admin-key-of-24-characters').id).toBe(parts.id);
    expect(keyParts('another-admin-key-of-24-characters').id).not.toBe(parts.id);
  });

  test('a key is an NHI with a namespaced id', () => {
    expect(apiKeyNhiId('0123456789abcdef')).toBe('nhi:nhi-lineage:api-key:0123456789abcdef');
  });
});
