import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { DomainError } from '@lineage/domain';
import { Neo4jError } from 'neo4j-driver';
import { Neo4jGraphStore, checkServerVersion, redactUri } from './neo4j-graph-store';
import { asUnavailable } from './neo4j-session';

describe('checkServerVersion', () => {
  it('accepts Neo4j 5.9 and later, including calendar versions', () => {
    for (const agent of ['Neo4j/5.9.0', 'Neo4j/5.26.12', 'Neo4j/2025.01.0'])
      expect(() => checkServerVersion(agent)).not.toThrow();
  });

  it('refuses older servers and unknown agents with the required version in the message', () => {
    expect(() => checkServerVersion('Neo4j/5.8.0')).toThrow('Neo4j 5.8 is too old: 5.9 or later is required');
    expect(() => checkServerVersion('Neo4j/4.4.30')).toThrow(/4\.4 is too old/);
    expect(() => checkServerVersion(undefined)).toThrow(/unrecognised Neo4j server agent/);
  });
});

describe('redactUri', () => {
  it('drops user info from a URI and leaves others alone', () => {
    expect(redactUri('neo4j://admin:s3cret@db.internal:7687')).toBe('neo4j://db.internal:7687');
    expect(redactUri('bolt://localhost:7687')).toBe('bolt://localhost:7687');
  });
});

describe('Neo4jGraphStore.connect', () => {
  it('rejects a server that does not speak Bolt, naming the URI and never the password', async () => {
    // A local socket that closes every connection: the driver fails the handshake at once.
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const error = await Neo4jGraphStore.connect({
        uri: `bolt://127.0.0.1:${port}`,
        user: 'neo4j',
        password: 'pa55-do-not-log',
      }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error?.message).toContain(`cannot open the Neo4j store at bolt://127.0.0.1:${port}`);
      expect(error?.message).not.toContain('pa55-do-not-log');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('asUnavailable', () => {
  it('turns an error the driver gave up retrying into the domain UNAVAILABLE, naming the driver code', () => {
    const lost = new Neo4jError('connection refused', 'ServiceUnavailable', '08000', 'connection exception');
    const deadlock = new Neo4jError('deadlock', 'Neo.TransientError.Transaction.DeadlockDetected', '50N05', 'deadlock');
    expect(asUnavailable(lost)).toMatchObject({
      code: 'UNAVAILABLE',
      message: 'the Neo4j store is unavailable (ServiceUnavailable); retry later',
    });
    expect(asUnavailable(deadlock)).toBeInstanceOf(DomainError);
  });

  it('leaves any other error as it is', () => {
    const syntax = new Neo4jError('bad query', 'Neo.ClientError.Statement.SyntaxError', '42000', 'syntax error');
    const plain = new Error('boom');
    expect(asUnavailable(syntax)).toBe(syntax);
    expect(asUnavailable(plain)).toBe(plain);
  });
});
