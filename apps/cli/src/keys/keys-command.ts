import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { ApiKeyRecord } from '@lineage/domain';
import type { CreateApiKeyInput } from '@lineage/auth';
import { AuthModule, ApiKeyService } from '@lineage/auth';
import { LineageConfigModule } from '@lineage/config';
import { PipelineModule } from '@lineage/pipeline';
import { parseExpiry, parseOwner, parseRole } from './key-options';

/** What `keys` needs: the store, the pipeline (a key is an NHI, written as an event) and key management. */
@Module({ imports: [LineageConfigModule, PipelineModule, AuthModule] })
export class KeysCliModule {}

export interface CreateKeyArgs {
  readonly role: string;
  readonly owner: string;
  readonly expires: string;
  readonly description?: string;
  readonly json?: boolean;
}

/** What a key looks like on screen: everything but its hash. */
export interface KeyView {
  readonly id: string;
  readonly role: string;
  readonly ownerId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly description: string | null;
  readonly status: 'active' | 'expired' | 'revoked';
}

export function keyView(record: ApiKeyRecord, now: number): KeyView {
  return {
    id: record.id,
    role: record.role,
    ownerId: record.ownerId,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: new Date(record.expiresAt).toISOString(),
    revokedAt: record.revokedAt === null ? null : new Date(record.revokedAt).toISOString(),
    description: record.description,
    status: record.revokedAt !== null ? 'revoked' : record.expiresAt <= now ? 'expired' : 'active',
  };
}

/** Validate the options before any context opens, so a typo never touches the store. */
export function parseCreateArgs(args: CreateKeyArgs): CreateApiKeyInput {
  return {
    role: parseRole(args.role),
    ownerId: parseOwner(args.owner),
    expiresInDays: parseExpiry(args.expires),
    description: args.description ?? null,
  };
}

export interface KeysOutput {
  /** The key itself goes here, once. */
  readonly result: (text: string) => void;
  /** Human notes (never the key). */
  readonly note: (text: string) => void;
}

/**
 * `keys create`: the new key goes to stdout exactly once (alone on its line, or in the JSON
 * object with `--json`); the note on stderr says what it is without repeating it.
 */
export async function createKey(
  app: INestApplicationContext,
  input: CreateApiKeyInput,
  json: boolean,
  out: KeysOutput,
): Promise<void> {
  const { key, record } = await app.get(ApiKeyService).create(input);
  const view = keyView(record, Date.now());
  if (json) out.result(JSON.stringify({ key, ...view }));
  else out.result(key);
  out.note(
    `created ${view.role} key ${view.id} for ${view.ownerId}, expires ${view.expiresAt}; it is shown only once: store it now`,
  );
}

export async function listKeys(app: INestApplicationContext, json: boolean, out: KeysOutput): Promise<void> {
  const now = Date.now();
  const views = (await app.get(ApiKeyService).list()).map((record) => keyView(record, now));
  if (json) {
    out.result(JSON.stringify(views));
    return;
  }
  const header = ['ID', 'ROLE', 'OWNER', 'STATUS', 'EXPIRES', 'DESCRIPTION'];
  const rows = views.map((v) => [v.id, v.role, v.ownerId, v.status, v.expiresAt, v.description ?? '']);
  out.result(table([header, ...rows]));
}

export async function revokeKey(app: INestApplicationContext, id: string, out: KeysOutput): Promise<void> {
  const record = await app.get(ApiKeyService).revoke(id);
  out.result(JSON.stringify(keyView(record, Date.now())));
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
