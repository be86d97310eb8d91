import { registerEnumType } from '@nestjs/graphql';
import type {
  AccessLevel,
  ApiRole,
  LineageStatus,
  OffboardingActionKind,
  OwaspNhiRisk,
  Severity,
} from '@lineage/domain';
import { ACCESS_LEVELS, API_ROLES, OFFBOARDING_ACTIONS, OWASP_NHI_RISKS, SEVERITIES } from '@lineage/domain';

/**
 * GraphQL enums, derived from the domain's lists. GraphQL names are upper case; the values a
 * resolver sees and returns are the domain's own (`AccessLevel.READ` ↔ `'read'`).
 */
function enumOf<const T extends string>(values: readonly T[]): Record<string, T> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));
}

export const LineageStatusEnum = {
  ACCOUNTABLE: 'ACCOUNTABLE',
  ORPHANED: 'ORPHANED',
  UNOWNED: 'UNOWNED',
} as const satisfies Record<LineageStatus, LineageStatus>;
export const AccessLevelEnum: Record<string, AccessLevel> = enumOf(ACCESS_LEVELS);
export const OffboardingActionKindEnum: Record<string, OffboardingActionKind> = enumOf(OFFBOARDING_ACTIONS);
export const OwaspNhiRiskEnum: Record<string, OwaspNhiRisk> = enumOf(OWASP_NHI_RISKS);
export const SeverityEnum: Record<string, Severity> = enumOf(SEVERITIES);
export const ApiRoleEnum: Record<string, ApiRole> = enumOf(API_ROLES);
export const ApiKeyStatusEnum = { ACTIVE: 'ACTIVE', EXPIRED: 'EXPIRED', REVOKED: 'REVOKED' } as const;
export type ApiKeyStatus = keyof typeof ApiKeyStatusEnum;
export const PlanDeliveryStatusEnum = { PENDING: 'PENDING', RETRYING: 'RETRYING', DELIVERED: 'DELIVERED' } as const;
export type PlanDeliveryStatus = keyof typeof PlanDeliveryStatusEnum;

registerEnumType(LineageStatusEnum, {
  name: 'LineageStatus',
  description:
    'ACCOUNTABLE: an active person answers for it. ORPHANED: every chain ends at a leaver or an ended vendor. UNOWNED: no chain at all.',
});
registerEnumType(AccessLevelEnum, { name: 'AccessLevel' });
registerEnumType(OffboardingActionKindEnum, { name: 'OffboardingActionKind' });
registerEnumType(OwaspNhiRiskEnum, {
  name: 'OwaspNhiRisk',
  description: 'The OWASP Non-Human Identities Top 10 (2025).',
});
registerEnumType(SeverityEnum, { name: 'Severity' });
registerEnumType(ApiRoleEnum, {
  name: 'ApiRole',
  description: 'Ordered: ANALYST < RESPONDER < AUTOMATION < ADMIN; each may do everything the ones before it may.',
});
registerEnumType(ApiKeyStatusEnum, { name: 'ApiKeyStatus' });
registerEnumType(PlanDeliveryStatusEnum, {
  name: 'PlanDeliveryStatus',
  description: 'PENDING: not tried yet. RETRYING: tried and failed (or refused); tried again at nextAttemptAt. DELIVERED: the channel accepted it.',
});
