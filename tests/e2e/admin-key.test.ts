import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_KEY_FILE, SEED_ADMIN_OWNER, parseApiKey } from '@lineage/auth';
import { dataOf, graphql, startE2eApp } from './support/e2e-app';

/**
 * The first admin key: generated into `<data dir>/admin.key` (0600) on a first start and reused
 * on a restart, or taken from LINEAGE_ADMIN_KEY; the logs say where it is and never what it is.
 */

/** Every line the app writes to stdout while `run` runs. */
async function capturingStdout<T>(run: () => Promise<T>): Promise<{ result: T; output: string }> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    return { result: await run(), output: lines.join('') };
  } finally {
    spy.mockRestore();
  }
}

const VIEWER = `{ viewer { keyId role ownerId nhiId } }`;

test('a first start writes the admin key to admin.key (mode 0600) and logs the path only; a restart reuses it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nhi-lineage-admin-'));
  try {
    const { result: first, output } = await capturingStdout(async () => {
      const app = await startE2eApp({ dataDir, env: { LOG_LEVEL: 'info' } });
      const viewer = dataOf<{ viewer: { keyId: string; role: string; ownerId: string; nhiId: string } }>(
        await graphql(app.url, app.adminKey, VIEWER),
      );
      await app.close();
      return { key: app.adminKey, viewer: viewer.viewer };
    });
    const path = join(dataDir, ADMIN_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(first.key);
    expect(first.viewer).toMatchObject({ role: 'ADMIN', ownerId: SEED_ADMIN_OWNER, keyId: first.key.split('_')[1] });
    expect(output).toContain(path);
    expect(output).toContain(first.viewer.keyId);
    // The whole secret: it is base64url, so it may itself hold '_', and a fragment of it can turn up in any log line.
    expect(output).not.toContain(parseApiKey(first.key)!.secret);

    const again = await startE2eApp({ dataDir });
    try {
      expect(again.adminKey).toBe(first.key);
      expect(dataOf<{ viewer: { keyId: string } }>(await graphql(again.url, again.adminKey, VIEWER)).viewer.keyId).toBe(
        first.viewer.keyId,
      );
      const keys = dataOf<{ apiKeys: { role: string }[] }>(
        await graphql(
          again.url,
          again.adminKey,
          `
            {
              apiKeys {
                role
              }
            }
          `,
        ),
      );
      expect(keys.apiKeys).toEqual([{ role: 'ADMIN' }]);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('LINEAGE_ADMIN_KEY seeds the first admin key: no file is written, and the key is an NHI the graph governs', async () => {
  const seeded = 'operator-chosen-admin-key-0123456789abcdef';
  const { result, output } = await capturingStdout(async () => {
    const app = await startE2eApp({ env: { LINEAGE_ADMIN_KEY: seeded, LOG_LEVEL: 'info' } });
    try {
      const viewer = dataOf<{ viewer: { role: string; nhiId: string } }>(await graphql(app.url, seeded, VIEWER));
      const nhi = dataOf<{
        nhi: { nhiKind: string; platform: string; lineage: { status: string; accountable: { id: string } } };
      }>(
        await graphql(
          app.url,
          seeded,
          `
            query ($id: ID!) {
              nhi(id: $id) {
                nhiKind
                platform
                lineage {
                  status
                  accountable {
                    id
                  }
                }
              }
            }
          `,
          { id: viewer.viewer.nhiId },
        ),
      );
      return {
        viewer,
        nhi,
        fileWritten: (() => {
          try {
            statSync(join(app.dataDir, ADMIN_KEY_FILE));
            return true;
          } catch {
            return false;
          }
        })(),
      };
    } finally {
      await app.close();
    }
  });
  expect(result.viewer.viewer.role).toBe('ADMIN');
  expect(result.fileWritten).toBe(false);
  expect(result.nhi.nhi).toEqual({
    nhiKind: 'api_token',
    platform: 'nhi-lineage',
    lineage: { status: 'ACCOUNTABLE', accountable: { id: SEED_ADMIN_OWNER } },
  });
  expect(output).toContain('LINEAGE_ADMIN_KEY');
  expect(output).not.toContain(seeded);
  // Request logs name the key and role, nothing more.
  const requests = output
    .split('\n')
    .filter((line) => line.includes('"msg":"request"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(requests.length).toBeGreaterThan(0);
  expect(requests[0]).toMatchObject({ method: 'POST', path: '/graphql', status: 200, role: 'admin' });
  expect(Object.keys(requests[0]!).sort()).toEqual([
    'context',
    'durationMs',
    'keyId',
    'level',
    'method',
    'msg',
    'path',
    'role',
    'status',
    'time',
  ]);
});
