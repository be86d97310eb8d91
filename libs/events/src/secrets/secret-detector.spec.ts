import {
  findSecret,
  isHighEntropy,
  looksLikeFingerprint,
  MAX_SCAN_DEPTH,
  secretRule,
  shannonEntropy,
} from './secret-detector';

/*
 * Test secrets are assembled at run time (prefix + body) so that this file holds no literal that
 * a repository secret scanner would flag. None of them is, or ever was, a live credential.
 */
const b62 = 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6a7B8c9D0e1F2g3H4i5J6k7L8m9N0';
const githubClassic = 'gh' + 'p_' + b62.slice(0, 36);
const githubOauth = 'gh' + 'o_' + b62.slice(1, 37);
const githubServer = 'gh' + 's_' + b62.slice(2, 38);
const githubUser = 'gh' + 'u_' + b62.slice(3, 39);
const githubFineGrained = 'github' + '_pat_' + b62.slice(0, 22) + '_' + b62.slice(0, 59);
const gitlab = 'gl' + 'pat-' + b62.slice(0, 20);
const slackBot = 'xo' + 'xb-' + '1234567890-0987654321-' + b62.slice(0, 24);
const slackUser = 'xo' + 'xp-' + '1234567890-' + b62.slice(5, 20);
const stripe = 'sk' + '_live_' + b62.slice(0, 24);
const google = 'AI' + 'za' + b62.slice(0, 35);
const jwt =
  'ey' +
  'JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.' +
  'ey' +
  'JzdWIiOiIxMjM0NTY3ODkwIn0' +
  '.' +
  'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const pem = ['-----BEGIN', ' RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'].join('');
const pemPkcs8 = ['-----BEGIN', ' PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----'].join('');
const pemOpenSsh = [
  '-----BEGIN',
  ' OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----',
].join('');
// The AWS documentation's example secret access key (not a live key).
const awsSecret = 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY';

describe('secret detector', () => {
  describe('recognises secrets by their shape, in any field', () => {
    it.each([
      ['a PEM RSA private key', pem, 'private-key'],
      ['a PKCS#8 private key', pemPkcs8, 'private-key'],
      ['an OpenSSH private key', pemOpenSsh, 'private-key'],
      ['a GitHub classic PAT', githubClassic, 'github-token'],
      ['a GitHub OAuth token', githubOauth, 'github-token'],
      ['a GitHub server-to-server token', githubServer, 'github-token'],
      ['a GitHub user-to-server token', githubUser, 'github-token'],
      ['a GitHub fine-grained PAT', githubFineGrained, 'github-token'],
      ['a GitLab PAT', gitlab, 'gitlab-token'],
      ['a Slack bot token', slackBot, 'slack-token'],
      ['a Slack user token', slackUser, 'slack-token'],
      ['a Stripe live secret key', stripe, 'stripe-key'],
      ['a Google API key', google, 'google-api-key'],
      ['a JWT', jwt, 'jwt'],
      ['a token inside a longer string', `Authorization failed for ${githubClassic} at 09:30`, 'github-token'],
      ['a JWT after a Bearer scheme', `Bearer ${jwt}`, 'jwt'],
    ])('%s', (_what, value, rule) => {
      expect(secretRule(value, 'description')).toBe(rule);
      expect(secretRule(value, null)).toBe(rule);
      // Even a field that describes something cannot carry one.
      expect(secretRule(value, 'credentialId')).toBe(rule);
    });
  });

  describe('does not mistake identifiers that resemble tokens', () => {
    it.each([
      ['an id mentioning a token prefix', 'nhi:github:ghp_rotation_bot'],
      ['a GitHub app id', 'nhi:github:app/ghs_sync'],
      ['a repository with github_pat in its name', 'github_pat_inventory_scanner'],
      ['a Slack channel id', 'xoxb-channel'],
      ['a Stripe test-mode key prefix only', 'sk_test_1234'],
      ['a string that mentions a PEM public key', '-----BEGIN PUBLIC KEY-----'],
      ['a certificate header', '-----BEGIN CERTIFICATE-----'],
      ['an email address', 'ana.lopez@example.com'],
      ['an ARN', 'arn:aws:iam::123456789012:role/deployer'],
      ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
      ['base64 that is not two JSON objects', 'eyJhbGciOiJIUzI1NiJ9'],
    ])('%s', (_what, value) => {
      expect(secretRule(value, 'description')).toBeNull();
      expect(secretRule(value, 'credentialId')).toBeNull();
    });
  });

  describe('judges values by the name of their field', () => {
    it.each([
      ['password', 'correct horse battery staple'],
      ['dbPassword', 'S3cure!pass'],
      ['secret', 'not-very-random-but-secret'],
      ['clientSecret', 'Qp8~rT2.aZ9_kL4-mN6'],
      ['client_secret', 'Qp8~rT2.aZ9_kL4-mN6'],
      ['secretValue', 'hunter22'],
      ['privateKey', 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
      ['token', 'opaque-session-token-value'],
      ['accessToken', '1/fFAGRNJru1FTz70BzhT3Zg'],
      ['apiKey', 'live_4f9a1c2b7d'],
      ['api-key', 'live_4f9a1c2b7d'],
    ])('%s holds a secret', (field, value) => {
      expect(secretRule(value, field)).toBe('secret-field');
    });

    it.each([
      ['a redaction', 'password', '********'],
      ['a REDACTED marker', 'clientSecret', 'REDACTED'],
      ['a masked marker', 'token', '<masked>'],
      ['a short value', 'token', 'none'],
      ['a Secrets Manager ARN', 'secret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-password-AbCdEf'],
      ['a Vault path', 'secret', 'vault:kv/payments/db'],
      ['a GCP Secret Manager name', 'secret', 'projects/acme/secrets/db-password'],
      ['an Azure Key Vault URL', 'secret', 'https://acme-kv.vault.azure.net/secrets/db-password'],
      ['a GitHub Actions expression', 'token', '${{ secrets.DEPLOY_TOKEN }}'],
      ['an environment reference', 'password', '${DB_PASSWORD}'],
      ['a token id', 'tokenId', 'tok-8f2a9c1b4e7d6a3f0b9c8d7e'],
      ['a secret name', 'secretName', 'payments-db-password'],
      ['a key id', 'keyId', 'AbCdEf0123456789GhIjKl9876543210MnOpQr'],
      ['a token type', 'tokenType', 'bearer'],
      ['a secret store kind', 'secretStore', 'vault'],
      ['a public key', 'publicKey', 'AAAAC3NzaC1lZDI1NTE5AAAAIGx4Yp9Rk2Wm8Vn3Lq7Tz1Bc5Df0Hj6Ks4Pa2Ue9Ow'],
      ['a list of secrets used (credential ids)', 'secretsUsed', 'cred:aws:AKIAIOSFODNN7EXAMPLE'],
    ])('%s passes', (_what, field, value) => {
      expect(secretRule(value, field)).toBeNull();
    });

    it('an AWS secret access key in a field named like a key', () => {
      expect(secretRule(awsSecret, 'key')).toBe('aws-secret-key');
      expect(secretRule(awsSecret, 'awsSecretAccessKey')).toBe('secret-field');
      expect(secretRule(awsSecret, 'secret_access_key')).toBe('secret-field');
      expect(secretRule(awsSecret, 'secretKeyMaterial')).toBe('aws-secret-key');
      // The same forty characters under a name that holds no secrets are left alone.
      expect(secretRule(awsSecret, 'description')).toBeNull();
    });

    it('a long random value in a field named key or value', () => {
      expect(secretRule('Zx8Qw2Lm5Np7Rt1Vb4Kc9Hd3Jf6Gs0', 'value')).toBe('high-entropy');
      expect(secretRule('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'signingKey')).toBe(
        'high-entropy',
      );
    });

    it.each([
      ['a kebab-case label', 'value', 'primary-postgres-connection'],
      ['a dated label', 'value', 'prod-db-2024-rotation'],
      ['a sentence', 'value', 'Rotated by the platform team on request 4711'],
      ['a UUID', 'key', '550e8400-e29b-41d4-a716-446655440000'],
      ['a short value', 'value', 'Ab12'],
      ['a namespaced id', 'key', 'cred:gcp:projects/acme/serviceAccounts/ci@acme.iam/keys/1f2e3d4c'],
      ['a lower-case hex string too short to be a key', 'value', 'deadbeef01'],
    ])('%s in %s passes', (_what, field, value) => {
      expect(secretRule(value, field)).toBeNull();
    });
  });

  describe('fingerprints', () => {
    it.each([
      ['an OpenSSH SHA256 fingerprint', 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8'],
      [
        'a lower-case sha256 prefix with hex',
        'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      ],
      ['an MD5 colon-separated fingerprint', '43:51:43:a1:b5:fc:8b:b7:0a:3a:a9:b1:0f:66:73:a8'],
      ['a SHA-1 hex thumbprint', '2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12'],
      ['a GCP service-account key id', '1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c'],
      ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
      ['an AWS temporary access key id', 'ASIAY34FZKBOKMUTVV7A'],
      ['an Azure key id (UUID)', '550e8400-e29b-41d4-a716-446655440000'],
    ])('%s is accepted', (_what, value) => {
      expect(looksLikeFingerprint(value)).toBe(true);
      expect(secretRule(value, 'fingerprint')).toBeNull();
    });

    it.each([
      ['an AWS secret access key', awsSecret, 'not-a-fingerprint'],
      ['a password', 'correct horse battery staple', 'not-a-fingerprint'],
      ['base64 without an algorithm prefix', 'nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8=', 'not-a-fingerprint'],
      ['an access key id with a lower-case letter', 'AKIAIOSFODNN7EXAMPLe', 'not-a-fingerprint'],
      ['a GitHub token', githubClassic, 'github-token'],
      ['a private key', pem, 'private-key'],
    ])('%s is rejected', (_what, value, rule) => {
      expect(secretRule(value, 'fingerprint')).toBe(rule);
      expect(secretRule(value, 'keyFingerprint')).toBe(rule);
    });

    it('a redacted fingerprint passes', () => {
      expect(secretRule('***', 'fingerprint')).toBeNull();
    });
  });

  describe('findSecret walks a whole event', () => {
    const event = {
      specversion: '1.0',
      id: 'evt-1',
      source: 'iam/aws/123456789012',
      type: 'iam.role.defined',
      time: '2024-05-01T09:30:00Z',
      data: {
        roleId: 'role:aws:deployer',
        grants: [
          { resourceId: 'resource:aws:s3:artifacts', level: 'write', actions: ['s3:PutObject'] },
          { resourceId: 'resource:aws:s3:logs', level: 'read', notes: { token: 'opaque-session-token-value' } },
        ],
      },
    };

    it('returns the path of the first secret and never its value', () => {
      const finding = findSecret(event);
      expect(finding).toEqual({ path: 'data.grants[1].notes.token', rule: 'secret-field' });
      expect(JSON.stringify(finding)).not.toContain('opaque-session-token-value');
    });

    it('judges array elements by the name of their array', () => {
      expect(findSecret({ data: { passwords: ['fine', 'hunter2hunter2'] } })).toEqual({
        path: 'data.passwords[1]',
        rule: 'secret-field',
      });
      expect(findSecret({ data: { ids: [githubClassic] } })).toEqual({ path: 'data.ids[0]', rule: 'github-token' });
    });

    it('finds nothing in an event of identifiers', () => {
      const clean = structuredClone(event);
      clean.data.grants[1]!.notes = { token: 'REDACTED' };
      expect(findSecret(clean)).toBeNull();
    });

    it('reports paths under a given root', () => {
      expect(findSecret({ password: 'hunter2hunter2' }, 'data')).toEqual({
        path: 'data.password',
        rule: 'secret-field',
      });
    });

    it('refuses what is nested too deep to check, at any depth the parser allows', () => {
      let deep: unknown = { note: 'harmless' };
      for (let i = 0; i < 100_000; i++) deep = [deep];
      expect(findSecret({ data: deep })).toEqual({ path: `data${'[0]'.repeat(MAX_SCAN_DEPTH - 1)}`, rule: 'too-deep' });
    });

    it('checks everything down to the depth bound', () => {
      let nested: unknown = { secret: 'hunter2hunter2' };
      for (let i = 0; i < MAX_SCAN_DEPTH - 2; i++) nested = [nested];
      const finding = findSecret({ data: nested });
      expect(finding).toEqual({ path: `data${'[0]'.repeat(MAX_SCAN_DEPTH - 2)}.secret`, rule: 'secret-field' });
    });
  });

  describe('entropy', () => {
    it('measures bits per character', () => {
      expect(shannonEntropy('aaaa')).toBe(0);
      expect(shannonEntropy('abab')).toBe(1);
      expect(shannonEntropy('abcdefgh')).toBe(3);
    });

    it('calls generated keys high-entropy and words, dates and ids not', () => {
      expect(isHighEntropy(b62.slice(0, 20))).toBe(true);
      expect(isHighEntropy(awsSecret)).toBe(true);
      expect(isHighEntropy('service-account-for-billing')).toBe(false);
      expect(isHighEntropy('2024-05-01T09:30:00.000Z')).toBe(false);
      expect(isHighEntropy('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toBe(false);
    });
  });
});
