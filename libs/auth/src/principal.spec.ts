import type { ApiRole } from '@lineage/domain';
import { API_ROLES } from '@lineage/domain';
import { isApiRole, roleAllows } from './principal';

describe('roles', () => {
  // Each role may do what the roles before it may: analyst < responder < automation < admin.
  const expected: Record<ApiRole, ApiRole[]> = {
    analyst: ['analyst'],
    responder: ['analyst', 'responder'],
    automation: ['analyst', 'responder', 'automation'],
    admin: ['analyst', 'responder', 'automation', 'admin'],
  };

  test.each(API_ROLES)('%s meets exactly the minimums at or below it', (role) => {
    expect(API_ROLES.filter((minimum) => roleAllows(role, minimum))).toEqual(expected[role]);
  });

  test('only the four roles are roles', () => {
    expect(API_ROLES.every(isApiRole)).toBe(true);
    for (const value of ['ADMIN', 'root', '', null, 3]) expect(isApiRole(value)).toBe(false);
  });
});
