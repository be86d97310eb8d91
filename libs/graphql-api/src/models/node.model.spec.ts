import type { GraphNode } from '@lineage/domain';
import { toNodeView, viewOfKind } from './node.model';

const node = (kind: GraphNode['kind'], attributes: GraphNode['attributes']): GraphNode => ({
  id: `${kind.toLowerCase()}:1`,
  kind,
  name: 'one',
  source: 'src',
  firstSeen: 1_000,
  lastSeen: 2_000,
  validFrom: 1_000,
  validTo: null,
  placeholder: false,
  attributes,
});

describe('toNodeView', () => {
  test('turns the domain epoch ms into dates and keeps ids exactly as stored', () => {
    const id = 'nhi:aws:arn:aws:iam::123456789012:role/Déployeur ';
    const view = toNodeView(
      { ...node('NHI', { nhiKind: 'service_account', expiresAt: Date.UTC(2030, 0, 1), lastUsedAt: null }), id },
      42,
    );
    expect(view).toMatchObject({
      id,
      kind: 'NHI',
      nhiKind: 'service_account',
      expiresAt: new Date(Date.UTC(2030, 0, 1)),
      lastUsedAt: null,
      firstSeen: new Date(1_000),
      validTo: null,
      asOf: 42,
    });
  });

  test('reads each kind’s own attributes, tolerating odd values instead of failing the query', () => {
    expect(
      toNodeView(node('Person', { leftAt: '2024-06-01T00:00:00Z', email: 'a@b.c', status: 'left' }), 0),
    ).toMatchObject({
      leftAt: new Date('2024-06-01T00:00:00Z'),
      email: 'a@b.c',
      status: 'left',
      department: null,
    });
    expect(toNodeView(node('SecretStore', { storeKind: 'ci_variable', vault: false }), 0)).toMatchObject({
      storeKind: 'ci_variable',
      vault: false,
    });
    expect(toNodeView(node('SecretStore', { vault: 'yes' }), 0)).toMatchObject({ vault: null });
    expect(toNodeView(node('Credential', { status: 'active', createdAt: 'not a date' }), 0)).toMatchObject({
      status: 'active',
      createdAt: null,
    });
  });

  test('a lookup by the wrong kind finds nothing', () => {
    expect(viewOfKind(node('Person', {}), 'NHI', 0)).toBeNull();
    expect(viewOfKind(null, 'NHI', 0)).toBeNull();
    expect(viewOfKind(node('NHI', {}), 'NHI', 0)).toMatchObject({ kind: 'NHI' });
  });
});
