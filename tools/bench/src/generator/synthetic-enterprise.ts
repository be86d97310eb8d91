import { AccessCatalog } from './access-catalog';
import type { CanonicalEventLike } from './canonical-event-like';
import { CiRoster } from './ci-activity';
import type { EnterpriseScale, ResolvedOptions } from './enterprise-profile';
import { enterpriseScale } from './enterprise-profile';
import { EventPlanner } from './event-plans';
import { NhiPopulation } from './nhi-population';
import { PeopleDirectory } from './people-directory';
import { buildRun } from './pipeline-runs';
import { FAMILY } from './stream-families';
import type { StreamFamily } from './time-ordered-merge';
import { VendorRoster } from './vendor-roster';

/**
 * One synthetic enterprise: its small populations computed up front (people, vendors, pipelines:
 * O(P) memory), its large ones (NHIs, runs, roles) recomputed on demand, and the event streams
 * of each, ready for the time-ordered merge.
 */
export class SyntheticEnterprise {
  readonly scale: EnterpriseScale;
  readonly people: PeopleDirectory;
  readonly vendors: VendorRoster;
  readonly catalog: AccessCatalog;
  readonly ci: CiRoster;
  readonly nhis: NhiPopulation;
  private readonly planner: EventPlanner;

  constructor(readonly options: ResolvedOptions) {
    this.scale = enterpriseScale(options);
    this.people = new PeopleDirectory(options);
    this.vendors = new VendorRoster(options, this.scale, this.people);
    this.catalog = new AccessCatalog(options, this.scale);
    this.ci = new CiRoster(options, this.scale, this.people, this.catalog);
    this.nhis = new NhiPopulation(options, this.scale, this.people, this.catalog, this.ci);
    this.planner = new EventPlanner(options.seed, this.people, this.vendors, this.catalog, this.ci, this.nhis);
  }

  /** Every stream family, ranked so that at equal times what is referred to comes first. */
  families(): StreamFamily<CanonicalEventLike>[] {
    const { people, vendors, catalog, ci, nhis, planner } = this;
    return [
      {
        rank: FAMILY.person,
        count: people.people.length,
        startTime: (i) => people.get(i).joinedAt,
        plan: (i) => planner.person(i),
      },
      {
        rank: FAMILY.vendor,
        count: vendors.vendors.length,
        startTime: (i) => vendors.get(i).onboardedAt,
        plan: (i) => planner.vendor(i),
      },
      {
        rank: FAMILY.role,
        count: catalog.roleCount,
        startTime: (i) => catalog.roleDefinedAt(i),
        plan: (i) => planner.role(i),
      },
      {
        rank: FAMILY.pipeline,
        count: ci.pipelines.length,
        startTime: (i) => ci.pipeline(i).registeredAt,
        plan: (i) => planner.pipeline(i),
      },
      {
        rank: FAMILY.run,
        count: ci.runCount,
        startTime: (i) => ci.runAt(i),
        plan: (i) => planner.run(buildRun(i, this.options, ci, people, nhis)),
      },
      {
        rank: FAMILY.nhi,
        count: nhis.count,
        startTime: (i) => nhis.createdAt(i),
        plan: (i) => planner.nhi(i),
      },
    ];
  }
}
