import type { CiRoster, PipelineRecord } from './ci-activity';
import { NhiPopulation } from './nhi-population';
import type { PeopleDirectory } from './people-directory';
import type { ResolvedOptions } from './enterprise-profile';
import { SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';

/**
 * One CI run: which pipeline, who triggered it, which credentials it read and which workloads it
 * deployed, all chosen among what exists at the run's time. Picks lean towards the oldest NHIs,
 * so a few credentials end up read by many pipelines (reuse, NHI9), as happens in practice.
 */

export interface RunModel {
  readonly index: number;
  readonly at: number;
  readonly pipeline: PipelineRecord;
  readonly triggeredBy: string | null;
  readonly secretsUsed: readonly string[];
  readonly assumedRoles: readonly number[];
  readonly deployedTo: readonly string[];
}

export function buildRun(
  index: number,
  options: ResolvedOptions,
  ci: CiRoster,
  people: PeopleDirectory,
  nhis: NhiPopulation,
): RunModel {
  const random = SeededRandom.of(options.seed, FAMILY.run, index);
  const at = ci.runAt(index);
  const pipeline = ci.pipeline(random.skewed(ci.pipelines.length, 1.5));
  // Scheduled runs have no human trigger.
  const triggeredBy = random.chance(0.7) ? people.get(people.pickActive(random, at)).id : null;
  const existing = nhis.createdBefore(at);

  const secretsUsed: string[] = [];
  for (let k = 0; k < pipeline.secretsPerRun && existing > 0; k++) {
    const nhi = nhis.model(random.skewed(existing, 3));
    const live = nhi.credentials
      .filter((credential) => credential.kind !== 'oidc_trust')
      .map((credential) => NhiPopulation.versionAt(credential, at))
      .filter((id): id is string => id !== null);
    if (live.length > 0) secretsUsed.push(random.pick(live));
  }

  const deployedTo: string[] = [];
  for (let k = 0; k < pipeline.deploysPerRun && existing > 0; k++) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const candidate = random.skewed(existing, 1.5);
      if (nhis.identity(candidate).mode !== 'workload') continue;
      const { workload } = nhis.model(candidate);
      if (workload && workload.deployments[0]!.at < at) deployedTo.push(workload.id);
      break;
    }
  }

  return {
    index,
    at,
    pipeline,
    triggeredBy,
    secretsUsed: [...new Set(secretsUsed)],
    assumedRoles: pipeline.assumedRoles,
    deployedTo: [...new Set(deployedTo)],
  };
}
