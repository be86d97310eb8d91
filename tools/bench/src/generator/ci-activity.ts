import type { AccessCatalog } from './access-catalog';
import type { EnterpriseScale, ResolvedOptions } from './enterprise-profile';
import { TIMELINE, MINUTE_MS } from './enterprise-profile';
import type { PeopleDirectory } from './people-directory';
import { hash32, hashUnit, SeededRandom } from './seeded-random';
import { FAMILY } from './stream-families';
import { APPS, ORG, TEAMS } from './vocabulary';

/**
 * CI: repositories, pipelines (registered early, with an owner most of the time) and their runs,
 * which read credentials, assume roles and deploy workloads. Runs are their own family, spread
 * evenly over the timeline, so a run is computed once, when the merge reaches it.
 */

export type CiPlatform = 'github' | 'gitlab';

export interface PipelineRecord {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly repo: string;
  readonly ciPlatform: CiPlatform;
  readonly ownerIndex: number | null;
  readonly registeredAt: number;
  readonly firstRunAt: number;
  readonly firstTriggeredBy: number;
  /** How many credentials each run reads, and how many workloads it deploys. */
  readonly secretsPerRun: number;
  readonly deploysPerRun: number;
  readonly assumedRoles: readonly number[];
}

const WORKFLOWS = ['deploy', 'build', 'release', 'nightly', 'terraform-apply'];
const CLOUDS = ['aws', 'gcp', 'azure', 'k8s'] as const;

export class CiRoster {
  readonly pipelines: readonly PipelineRecord[];
  readonly runCount: number;
  private readonly runSlot: number;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly scale: EnterpriseScale,
    people: PeopleDirectory,
    catalog: AccessCatalog,
  ) {
    const [from, to] = TIMELINE.pipelinesRegistered;
    const slot = (to - from) / scale.pipelines;
    this.pipelines = Array.from({ length: scale.pipelines }, (_, i) => {
      const random = SeededRandom.of(options.seed, FAMILY.pipeline, i);
      const repoIndex = random.skewed(scale.repos, 1.5);
      const registeredAt = Math.floor(from + (i + random.between(0.05, 0.6)) * slot);
      const ownerIndex = random.chance(0.8) ? people.pickCreator(random) : null;
      const assumedRoles: number[] = [];
      const roleCount = random.int(0, 2);
      for (let k = 0; k < roleCount; k++) assumedRoles.push(catalog.pickRole(random, random.pick(CLOUDS)));
      if (random.chance(0.05)) assumedRoles.push(catalog.topAdminRole(random, random.pick(CLOUDS)));
      const workflow = random.pick(WORKFLOWS);
      return {
        index: i,
        id: `workload:ci:pipeline-${String(i).padStart(6, '0')}`,
        name: `${this.repoName(repoIndex)} ${workflow}`,
        repo: this.repoName(repoIndex),
        ciPlatform: this.repoPlatform(repoIndex),
        ownerIndex,
        registeredAt,
        firstRunAt: registeredAt + random.int(1, 30) * MINUTE_MS,
        firstTriggeredBy: ownerIndex ?? people.pickCreator(random),
        secretsPerRun: random.int(0, 3),
        deploysPerRun: random.int(0, 2),
        assumedRoles: [...new Set(assumedRoles)],
      };
    });
    this.runCount = scale.pipelineRuns;
    this.runSlot = (TIMELINE.pipelineRuns[1] - TIMELINE.pipelineRuns[0]) / this.runCount;
  }

  repoName(index: number): string {
    const team = TEAMS[index % TEAMS.length]!;
    const app = APPS[Math.floor(index / TEAMS.length) % APPS.length]!;
    const round = Math.floor(index / (TEAMS.length * APPS.length));
    return `${ORG}/${team}-${app}${round > 0 ? `-${round + 1}` : ''}`;
  }

  /** Where a repository's CI runs: GitHub for about two thirds, GitLab for the rest. */
  repoPlatform(index: number): CiPlatform {
    return hash32(this.options.seed, FAMILY.repoPlatform, index) % 3 === 2 ? 'gitlab' : 'github';
  }

  pickRepo(random: SeededRandom): number {
    return random.skewed(this.scale.repos, 1.5);
  }

  pipeline(index: number): PipelineRecord {
    const pipeline = this.pipelines[index];
    if (!pipeline) throw new RangeError(`no pipeline ${index}`);
    return pipeline;
  }

  /** When run `index` happens: runs are spread evenly, in index order, over the timeline. */
  runAt(index: number): number {
    const jitter = 0.05 + 0.9 * hashUnit(this.options.seed, FAMILY.run, index, 1);
    return Math.floor(TIMELINE.pipelineRuns[0] + (index + jitter) * this.runSlot);
  }
}
