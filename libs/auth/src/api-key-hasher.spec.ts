import { ApiKeyHasher, DEFAULT_SCRYPT } from './api-key-hasher';

/** Unit tests use a cheap cost (2^10) explicitly; production code never passes parameters. */
const cheap = new ApiKeyHasher({ log2N: 10, r: 8, p: 1 });

describe('ApiKeyHasher', () => {
  test('the production cost is scrypt N=2^15, r=8, p=1, and the stored form names it', async () => {
    expect(DEFAULT_SCRYPT).toEqual({ log2N: 15, r: 8, p: 1 });
    const stored = await new ApiKeyHasher().hash('secret');
    expect(stored).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await new ApiKeyHasher().verify('secret', stored)).toBe(true);
  });

  test('verifies the secret it hashed and nothing else', async () => {
    const stored = await cheap.hash('the-secret');
    expect(await cheap.verify('the-secret', stored)).toBe(true);
    expect(await cheap.verify('the-secreT', stored)).toBe(false);
    expect(await cheap.verify('', stored)).toBe(false);
  });

  test('salts each hash: the same secret hashes differently', async () => {
    const [a, b] = await Promise.all([cheap.hash('same'), cheap.hash('same')]);
    expect(a).not.toBe(b);
    expect(await cheap.verify('same', b)).toBe(true);
  });

  test('verification uses the stored parameters, so older keys survive a cost change', async () => {
    const stored = await cheap.hash('old-key');
    expect(await new ApiKeyHasher({ log2N: 11, r: 8, p: 1 }).verify('old-key', stored)).toBe(true);
  });

  test.each([
    ['not a hash', 'plain'],
    ['another algorithm', 'bcrypt$10$8$1$c2FsdA$aGFzaA'],
    [
      'a cost too high to run',
      `scrypt$30$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`,
    ],
    [
      'a truncated hash',
      `scrypt$10$8$1$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(8).toString('base64url')}`,
    ],
  ])('refuses a stored value that is %s', async (_case, stored) => {
    expect(await cheap.verify('anything', stored)).toBe(false);
  });
});
