import { fixtureNode } from '@lineage/domain/testing';
import type { GrantRow, RoleReach } from './blast-radius';
import { strongestReach } from './blast-radius';

const resources = new Map(['resource:a', 'resource:b', 'resource:c'].map((id) => [id, fixtureNode('Resource', id, 0)]));
const grant = (roleId: string, resourceId: string, level: GrantRow['level'], actions: string[] = []): GrantRow => ({ roleId, resourceId, level, actions });

describe('strongestReach', () => {
  const reaches: RoleReach[] = [
    { roleId: 'role:near', path: ['cred:k', 'role:near'] },
    { roleId: 'role:far', path: ['cred:k', 'role:x', 'role:far'] },
    { roleId: 'role:far-too', path: ['cred:k', 'role:w', 'role:far-too'] },
    // A longer way to a role already reached: the shortest path to it is the one kept.
    { roleId: 'role:near', path: ['cred:k', 'role:x', 'role:y', 'role:near'] },
  ];

  it('keeps the strongest level per resource, whatever the path', () => {
    const reached = strongestReach(reaches, [grant('role:near', 'resource:a', 'read'), grant('role:far', 'resource:a', 'admin', ['*'])], resources);
    expect(reached.map((r) => [r.resource.id, r.level, r.actions, r.path])).toEqual([['resource:a', 'admin', ['*'], ['cred:k', 'role:x', 'role:far', 'resource:a']]]);
  });

  it('among equal levels takes the shortest path, then the first path in order', () => {
    const reached = strongestReach(
      reaches,
      [
        grant('role:far', 'resource:a', 'write', ['far']),
        grant('role:near', 'resource:a', 'write', ['near']),
        grant('role:far', 'resource:b', 'read', ['x']),
        grant('role:far-too', 'resource:b', 'read', ['w']),
      ],
      resources,
    );
    expect(reached.map((r) => [r.resource.id, r.actions, r.path])).toEqual([
      ['resource:a', ['near'], ['cred:k', 'role:near', 'resource:a']],
      ['resource:b', ['w'], ['cred:k', 'role:w', 'role:far-too', 'resource:b']],
    ]);
  });

  it('orders the strongest first, then by resource id, and skips grants of roles or resources not reached', () => {
    const reached = strongestReach(
      reaches,
      [grant('role:near', 'resource:c', 'admin'), grant('role:near', 'resource:b', 'read'), grant('role:near', 'resource:a', 'admin'), grant('role:other', 'resource:b', 'admin'), grant('role:near', 'resource:gone', 'admin')],
      resources,
    );
    expect(reached.map((r) => [r.resource.id, r.level])).toEqual([
      ['resource:a', 'admin'],
      ['resource:c', 'admin'],
      ['resource:b', 'read'],
    ]);
  });
});
