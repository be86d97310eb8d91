import { inferKind, NODE_KIND_NAMES } from '@lineage/domain';
import type { EventTransforms } from '../transform/event-transform';
import { details } from '../transform/event-transform';
import type { CredentialUsedData } from './audit-events.schema';

export const AUDIT_TRANSFORMS: EventTransforms<'audit.credential.used'> = {
  /**
   * Observations: when the credential and its NHI were last used, what they touched, and which
   * person acted through them. Only ids, the action and interactivity reach the graph; the
   * source IP stays out of it (and out of the summary).
   */
  'audit.credential.used': (data, facts) => {
    const now = facts.stamp.time;
    // The schema requires one of the two; the NHI is the identity that acted when both are given.
    const user = data.nhiId ?? data.credentialId!;
    if (data.credentialId !== undefined) facts.update('Credential', data.credentialId, { lastUsedAt: now });
    if (data.nhiId !== undefined) facts.update('NHI', data.nhiId, { lastUsedAt: now });
    if (data.resourceId !== undefined) {
      facts.reference('Resource', data.resourceId);
      facts.relate('ACCESSED', user, data.resourceId, 'observed', { action: data.action });
    }
    if (data.actorId !== undefined) {
      if (isActingPerson(data.actorId, data.interactive)) {
        facts.reference('Person', data.actorId);
        facts.relate('USED', data.actorId, user, 'observed', { interactive: data.interactive === true });
      } else {
        facts.mention(data.actorId);
      }
    }
    return { subjectId: data.credentialId ?? user, summary: summary(data) };
  },
};

/**
 * A person acting through an NHI: a `person:` id, or an id without a known prefix that the event
 * says acted interactively. An unprefixed id acting non-interactively is presumed a machine.
 */
function isActingPerson(actorId: string, interactive: boolean | undefined): boolean {
  return inferKind(actorId, NODE_KIND_NAMES, interactive === true ? 'Person' : 'NHI') === 'Person';
}

function summary(data: CredentialUsedData): string {
  const who =
    data.credentialId !== undefined && data.nhiId !== undefined
      ? `${data.credentialId} of ${data.nhiId}`
      : (data.credentialId ?? data.nhiId!);
  const what = data.action === undefined ? '' : `: ${data.action}`;
  const on = data.resourceId === undefined ? '' : ` on ${data.resourceId}`;
  const by = data.actorId === undefined ? '' : ` by ${data.actorId}`;
  return `${who} used${what}${on}${by}${details(data.interactive === true && 'interactive')}`;
}
