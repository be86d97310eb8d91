import type { EventTransforms } from '../transform/event-transform';
import { details } from '../transform/event-transform';

export const WORKLOAD_TRANSFORMS: EventTransforms<'workload.deployed'> = {
  /** A deployment states the workload's identity and owner as they now are: each replaces the last. */
  'workload.deployed': (data, facts) => {
    facts.define('Workload', data.workloadId, data.name, { workloadKind: 'service', environment: data.environment });
    if (data.runsAs !== undefined) {
      facts.reference('NHI', data.runsAs);
      facts.unrelateOthers('RUNS_AS', 'from', data.workloadId, [data.runsAs]);
      facts.relate('RUNS_AS', data.workloadId, data.runsAs, 'declared');
    }
    if (data.ownerId !== undefined) {
      facts.reference('Person', data.ownerId);
      facts.unrelateOthers('OWNS', 'to', data.workloadId, [data.ownerId]);
      facts.relate('OWNS', data.ownerId, data.workloadId, 'declared');
    }
    return {
      subjectId: data.workloadId,
      summary: `${data.workloadId} deployed${details(data.environment, data.runsAs && `runs as ${data.runsAs}`, data.ownerId && `owner ${data.ownerId}`)}`,
    };
  },
};
