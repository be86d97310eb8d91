import type { RelationKind } from '@lineage/domain';
import { inferKind, levelRank, RELATION_KINDS } from '@lineage/domain';
import type { FactBuilder } from '../transform/fact-builder';
import type { EventTransforms, TransformResult } from '../transform/event-transform';
import { details, plural } from '../transform/event-transform';
import { toEpochMs } from '../validation/rfc3339';
import type { CredentialCreatedData, NhiCreatedData, RoleGrant } from './iam-events.schema';

type IamEventType =
  | 'iam.nhi.created'
  | 'iam.nhi.deleted'
  | 'iam.owner.assigned'
  | 'iam.credential.created'
  | 'iam.credential.rotated'
  | 'iam.credential.deleted'
  | 'iam.role.defined'
  | 'iam.role.granted'
  | 'iam.role.revoked'
  | 'iam.trust.granted'
  | 'iam.trust.revoked';

/** What a rotated credential's successor takes over (the store resolves which are open). */
const INHERITED_ON_ROTATION: readonly RelationKind[] = ['AUTHENTICATES', 'STORED_IN', 'USES'];

export const IAM_TRANSFORMS: EventTransforms<IamEventType> = {
  'iam.nhi.created': (data, facts) => {
    facts.define('NHI', data.nhiId, data.name, {
      nhiKind: data.kind,
      platform: data.platform,
      environment: data.environment,
      purpose: data.purpose,
      expiresAt: data.expiresAt === undefined ? undefined : toEpochMs(data.expiresAt),
    });
    relateCreator(facts, data.createdBy, data.nhiId);
    if (data.ownerId !== undefined) {
      facts.reference('Person', data.ownerId);
      facts.relate('OWNS', data.ownerId, data.nhiId, 'declared');
    }
    if (data.vendorId !== undefined) {
      facts.reference('Vendor', data.vendorId);
      facts.relate('SUPPLIES', data.vendorId, data.nhiId, 'declared');
    }
    return { subjectId: data.nhiId, summary: nhiCreatedSummary(data) };
  },

  'iam.nhi.deleted': (data, facts) => {
    facts.retire('NHI', data.nhiId);
    return { subjectId: data.nhiId, summary: `${data.nhiId} deleted` };
  },

  'iam.owner.assigned': (data, facts) => {
    // Additive: an NHI may have co-owners.
    facts.reference('Person', data.ownerId).reference('NHI', data.nhiId);
    facts.relate('OWNS', data.ownerId, data.nhiId, 'declared');
    return { subjectId: data.nhiId, summary: `${data.ownerId} assigned as owner of ${data.nhiId}` };
  },

  'iam.credential.created': (data, facts) => {
    const now = facts.stamp.time;
    facts.define('Credential', data.credentialId, undefined, {
      credentialKind: data.kind,
      createdAt: now,
      expiresAt: data.expiresAt === undefined ? undefined : toEpochMs(data.expiresAt),
      fingerprint: data.fingerprint,
      status: 'active',
      lastRotatedAt: now,
    });
    facts.reference('NHI', data.nhiId);
    facts.relate('AUTHENTICATES', data.credentialId, data.nhiId, 'declared');
    relateCreator(facts, data.createdBy, data.credentialId);
    return { subjectId: data.credentialId, summary: credentialCreatedSummary(data) };
  },

  'iam.credential.rotated': (data, facts) => {
    const now = facts.stamp.time;
    const { credentialId: oldId, newCredentialId: newId } = data;
    if (newId === undefined || newId === oldId) {
      // Re-keyed in place: same credential, new secret.
      facts.update('Credential', oldId, { lastRotatedAt: now });
      return { subjectId: oldId, summary: `${oldId} rotated` };
    }
    facts.update('Credential', oldId, { status: 'rotated', rotatedTo: newId });
    facts.retire('Credential', oldId);
    // The event does not say the successor's kind; it stays unset until an event does.
    facts.define('Credential', newId, undefined, {
      status: 'active',
      createdAt: now,
      lastRotatedAt: now,
      rotatedFrom: oldId,
    });
    facts.inherit(oldId, newId, INHERITED_ON_ROTATION);
    return { subjectId: oldId, summary: `${oldId} rotated to ${newId}` };
  },

  'iam.credential.deleted': (data, facts) => {
    facts.update('Credential', data.credentialId, { status: 'deleted' });
    facts.retire('Credential', data.credentialId);
    return { subjectId: data.credentialId, summary: `${data.credentialId} deleted` };
  },

  'iam.role.defined': (data, facts) => {
    facts.define('Role', data.roleId, data.name);
    if (data.grants === undefined)
      return { subjectId: data.roleId, summary: `${data.roleId} defined${details(data.name)}` };
    // The definition is complete: resources it no longer lists stop being granted.
    const grants = mergeGrants(data.grants);
    for (const grant of grants) {
      facts.reference('Resource', grant.resourceId);
      facts.relate('GRANTS', data.roleId, grant.resourceId, 'declared', { actions: grant.actions, level: grant.level });
    }
    facts.unrelateOthers(
      'GRANTS',
      'from',
      data.roleId,
      grants.map((grant) => grant.resourceId),
    );
    return {
      subjectId: data.roleId,
      summary: `${data.roleId} defined${details(data.name, plural(grants.length, 'grant'))}`,
    };
  },

  'iam.role.granted': (data, facts) => assignment(facts, 'HAS_ROLE', data.principalId, data.roleId, true),
  'iam.role.revoked': (data, facts) => assignment(facts, 'HAS_ROLE', data.principalId, data.roleId, false),
  'iam.trust.granted': (data, facts) => assignment(facts, 'CAN_ASSUME', data.principalId, data.roleId, true),
  'iam.trust.revoked': (data, facts) => assignment(facts, 'CAN_ASSUME', data.principalId, data.roleId, false),
};

/** `createdBy` is a person, an NHI or a workload, by its id prefix; an unprefixed id is a person. */
function relateCreator(facts: FactBuilder, createdBy: string | undefined, createdId: string): void {
  if (createdBy === undefined) return;
  facts.reference(inferKind(createdBy, RELATION_KINDS.CREATED.from, 'Person'), createdBy);
  facts.relate('CREATED', createdBy, createdId, 'declared');
}

/** HAS_ROLE (NHI | Person → Role) or CAN_ASSUME (NHI | Workload | Role → Role); an unprefixed principal is an NHI. */
function assignment(
  facts: FactBuilder,
  type: 'HAS_ROLE' | 'CAN_ASSUME',
  principalId: string,
  roleId: string,
  granted: boolean,
): TransformResult {
  facts.reference(inferKind(principalId, RELATION_KINDS[type].from, 'NHI'), principalId).reference('Role', roleId);
  if (granted) facts.relate(type, principalId, roleId, 'declared');
  else facts.unrelate(type, principalId, roleId);
  const summary =
    type === 'HAS_ROLE'
      ? `${roleId} ${granted ? 'granted to' : 'revoked from'} ${principalId}`
      : `${principalId} ${granted ? 'may assume' : 'may no longer assume'} ${roleId}`;
  return { subjectId: principalId, summary };
}

/** One grant per resource: the strongest level and every action listed for it. */
function mergeGrants(grants: readonly RoleGrant[]): Array<Required<RoleGrant>> {
  const byResource = new Map<string, Required<RoleGrant>>();
  for (const grant of grants) {
    const seen = byResource.get(grant.resourceId);
    const actions = grant.actions ?? [];
    if (!seen) {
      byResource.set(grant.resourceId, {
        resourceId: grant.resourceId,
        level: grant.level,
        actions: [...new Set(actions)],
      });
      continue;
    }
    byResource.set(grant.resourceId, {
      resourceId: grant.resourceId,
      level: levelRank(grant.level) > levelRank(seen.level) ? grant.level : seen.level,
      actions: [...new Set([...seen.actions, ...actions])],
    });
  }
  return [...byResource.values()];
}

function nhiCreatedSummary(data: NhiCreatedData): string {
  const where = [data.kind, data.platform && `on ${data.platform}`, data.environment && `in ${data.environment}`]
    .filter(Boolean)
    .join(' ');
  return `${data.nhiId} created${details(where)}${data.createdBy === undefined ? '' : ` by ${data.createdBy}`}`;
}

function credentialCreatedSummary(data: CredentialCreatedData): string {
  return `${data.credentialId} created${details(data.kind)} for ${data.nhiId}${data.createdBy === undefined ? '' : ` by ${data.createdBy}`}`;
}
