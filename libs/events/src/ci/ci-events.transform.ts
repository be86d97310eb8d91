import { inferKind, RELATION_KINDS, VAULT_STORE_KINDS } from '@lineage/domain';
import { idList } from '../contracts/common.schema';
import type { EventTransforms } from '../transform/event-transform';
import { details, plural } from '../transform/event-transform';

type CiEventType = 'ci.pipeline.ran' | 'ci.secret.stored';

const VAULTS: ReadonlySet<string> = new Set(VAULT_STORE_KINDS);

export const CI_TRANSFORMS: EventTransforms<CiEventType> = {
  /** What a run showed: the secrets it read, the roles it assumed, the workloads it deployed. */
  'ci.pipeline.ran': (data, facts) => {
    const pipelineId = data.pipelineId;
    facts.define('Workload', pipelineId, pipelineId, {
      workloadKind: 'pipeline',
      repo: data.repo,
      lastTriggeredBy: data.triggeredBy,
    });
    // Whoever triggers a run acts like a creator: a person, an NHI or another workload.
    if (data.triggeredBy !== undefined)
      facts.reference(inferKind(data.triggeredBy, RELATION_KINDS.CREATED.from, 'Person'), data.triggeredBy);
    const secrets = idList(data.secretsUsed);
    const roles = idList(data.assumedRoles);
    const targets = idList(data.deployedTo);
    for (const credentialId of secrets)
      facts.reference('Credential', credentialId).relate('USES', pipelineId, credentialId, 'observed');
    for (const roleId of roles) facts.reference('Role', roleId).relate('CAN_ASSUME', pipelineId, roleId, 'observed');
    for (const workloadId of targets)
      facts.reference('Workload', workloadId).relate('DEPLOYS', pipelineId, workloadId, 'observed');
    const by = data.triggeredBy === undefined ? '' : ` by ${data.triggeredBy}`;
    const counts = [
      secrets.length > 0 && plural(secrets.length, 'secret'),
      roles.length > 0 && plural(roles.length, 'role'),
    ];
    const deployed = targets.length > 0 && `deployed to ${targets.join(', ')}`;
    return {
      subjectId: pipelineId,
      summary: `${pipelineId} ran${data.repo === undefined ? '' : ` for ${data.repo}`}${by}${details(...counts, deployed)}`,
    };
  },

  'ci.secret.stored': (data, facts) => {
    const { kind, id: storeId } = data.location;
    const vault = VAULTS.has(kind);
    facts.define('SecretStore', storeId, undefined, { storeKind: kind, vault });
    facts.reference('Credential', data.credentialId);
    facts.relate('STORED_IN', data.credentialId, storeId, 'declared');
    return {
      subjectId: data.credentialId,
      summary: `${data.credentialId} stored in ${storeId}${details(kind, !vault && 'not a vault')}`,
    };
  },
};
