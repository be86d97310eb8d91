import { SetMetadata } from '@nestjs/common';
import type { ApiRole } from '@lineage/domain';

export const ROLES_KEY = 'lineage:minimum-role';
export const PUBLIC_KEY = 'lineage:public';

/**
 * The lowest role that may call a route or resolver (roles are ordered, see `roleAllows`).
 * On a class it covers every handler that does not say otherwise. A handler with neither
 * `@Roles` nor `@Public` needs `admin`: the guard fails closed.
 */
export const Roles = (minimum: ApiRole): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, minimum);

/** No key needed. Only `GET /health` and the GraphQL IDE's static files, which carry no data. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
