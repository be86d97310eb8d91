import { findSecret } from './secret-detector';
import { REDACTED, redactSecrets } from './secret-redaction';

// Assembled at run time so the repository holds no literal a secret scanner would flag.
const githubToken = ['ghp', '_', 'R8kZ2mQ7xT4vN9pL3wH6yC1bF5dJ0sA2eG7u'].join('');
const pem = ['-----BEGIN ', 'RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'].join('');

describe('redactSecrets', () => {
  it('replaces every flagged value, wherever it is, and keeps everything else', () => {
    const event = {
      specversion: '1.0',
      id: 'e1',
      data: { credentialId: 'cred:1', fingerprint: githubToken, notes: [{ key: pem }, 'plain words'] },
    };
    const { value, redacted } = redactSecrets(event);
    expect(redacted).toBe(2);
    expect(value).toEqual({ specversion: '1.0', id: 'e1', data: { credentialId: 'cred:1', fingerprint: REDACTED, notes: [{ key: REDACTED }, 'plain words'] } });
    expect(findSecret(value)).toBeNull();
    expect(JSON.stringify(value)).not.toContain(githubToken.slice(4));
    // The input is not modified.
    expect(event.data.fingerprint).toBe(githubToken);
  });

  it('leaves a value with no secret as it is', () => {
    const event = { id: 'e2', data: { fingerprint: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' } };
    expect(redactSecrets(event)).toEqual({ value: event, redacted: 0 });
  });
});
