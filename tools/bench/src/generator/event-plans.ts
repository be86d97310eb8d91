import type { AccessCatalog } from './access-catalog';
import type {
  CanonicalEventLike,
  CanonicalEventOfType,
  GeneratedEventData,
  GeneratedEventType,
} from './canonical-event-like';
import type { CiRoster } from './ci-activity';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './enterprise-profile';
import type { FamilyName } from './stream-families';
import type { NhiPopulation } from './nhi-population';
import type { PeopleDirectory } from './people-directory';
import type { RunModel } from './pipeline-runs';
import type { PlannedEvent } from './time-ordered-merge';
import { sortPlan } from './time-ordered-merge';
import type { VendorRoster } from './vendor-roster';

/**
 * Turns the enterprise's entities into their streams of canonical events. Each plan lists one
 * entity's events sorted by time; an event's `data` is built only when the merge emits it.
 * Event ids are `<seed>-<family>-<entity index>-<position>`: unique, and stable for a seed.
 */

type Plan = PlannedEvent<CanonicalEventLike>[];

const HR_SOURCE = 'hr.workday';
const PROCUREMENT_SOURCE = 'procurement.coupa';

let isoDay = Number.NaN;
let isoDayPrefix = '';

/**
 * RFC 3339 in UTC with milliseconds, exactly as `Date.prototype.toISOString` writes it for the
 * years the generator uses, but formatting the day once per day: events come in time order.
 */
export function isoTime(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / HOUR_MS);
  rest -= hours * HOUR_MS;
  const minutes = Math.floor(rest / MINUTE_MS);
  rest -= minutes * MINUTE_MS;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${isoDayPrefix}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

function pad(value: number, width: 2 | 3): string {
  return (width === 2 ? TWO_DIGITS : THREE_DIGITS)[value]!;
}

/** A copy without the `undefined` members: an optional field is absent, not present and empty. */
function defined<T extends object>(value: T): T {
  const copy = {} as T;
  for (const key in value) if (value[key] !== undefined) copy[key] = value[key];
  return copy;
}

export class EventPlanner {
  constructor(
    private readonly seed: number,
    private readonly people: PeopleDirectory,
    private readonly vendors: VendorRoster,
    private readonly catalog: AccessCatalog,
    private readonly ci: CiRoster,
    private readonly nhis: NhiPopulation,
  ) {}

  person(index: number): Plan {
    const person = this.people.get(index);
    const event = this.factory('person', index);
    const manager = person.managerIndex >= 0 ? this.people.get(person.managerIndex).id : undefined;
    const plan: Plan = [
      event('hr.person.joined', HR_SOURCE, person.id, person.joinedAt, () =>
        defined({
          personId: person.id,
          email: person.email,
          name: person.name,
          employmentType: person.employmentType,
          managerId: manager,
          department: person.department,
        }),
      ),
    ];
    const { move } = person;
    if (move) {
      plan.push(
        event('hr.person.moved', HR_SOURCE, person.id, move.at, () => ({
          personId: person.id,
          managerId: this.people.get(move.managerIndex).id,
          department: move.department,
          title: move.title,
        })),
      );
    }
    const { leftAt } = person;
    if (leftAt !== null) {
      plan.push(
        event('hr.person.left', HR_SOURCE, person.id, leftAt, () =>
          defined({ personId: person.id, leftAt: isoTime(leftAt), reason: person.leaveReason ?? undefined }),
        ),
      );
    }
    return sortPlan(plan);
  }

  vendor(index: number): Plan {
    const vendor = this.vendors.get(index);
    const event = this.factory('vendor', index);
    const plan: Plan = [
      event('vendor.onboarded', PROCUREMENT_SOURCE, vendor.id, vendor.onboardedAt, () => ({
        vendorId: vendor.id,
        name: vendor.name,
        sponsorId: this.people.get(vendor.sponsorIndex).id,
      })),
    ];
    if (vendor.endedAt !== null) {
      plan.push(
        event('vendor.contract.ended', PROCUREMENT_SOURCE, vendor.id, vendor.endedAt, () => ({ vendorId: vendor.id })),
      );
    }
    return plan;
  }

  role(index: number): Plan {
    const role = this.catalog.role(index);
    const event = this.factory('role', index);
    const source = `iam.${role.platform}`;
    const plan: Plan = [
      event('iam.role.defined', source, role.id, role.definedAt, () => ({
        roleId: role.id,
        name: role.name,
        grants: role.grants.map((grant) => ({
          resourceId: this.catalog.resourceId(grant.resource),
          actions: this.catalog.actions(grant.resource, grant.level),
          level: grant.level,
        })),
      })),
    ];
    for (const trust of role.assumes) {
      const assignment = { principalId: role.id, roleId: this.catalog.roleId(trust.roleIndex) };
      plan.push(event('iam.trust.granted', source, role.id, trust.at, () => ({ ...assignment })));
      if (trust.revokedAt !== null)
        plan.push(event('iam.trust.revoked', source, role.id, trust.revokedAt, () => ({ ...assignment })));
    }
    return sortPlan(plan);
  }

  pipeline(index: number): Plan {
    const pipeline = this.ci.pipeline(index);
    const event = this.factory('pipeline', index);
    const source = `ci.${pipeline.ciPlatform}`;
    return [
      // The pipeline is registered as a workload with its owner before it first runs.
      event('workload.deployed', source, pipeline.id, pipeline.registeredAt, () =>
        defined({
          workloadId: pipeline.id,
          name: pipeline.name,
          ownerId: pipeline.ownerIndex === null ? undefined : this.people.get(pipeline.ownerIndex).id,
          environment: 'prod' as const,
        }),
      ),
      event('ci.pipeline.ran', source, pipeline.id, pipeline.firstRunAt, () => ({
        pipelineId: pipeline.id,
        repo: pipeline.repo,
        triggeredBy: this.people.get(pipeline.firstTriggeredBy).id,
      })),
    ];
  }

  run(run: RunModel): Plan {
    const event = this.factory('run', run.index);
    const { pipeline } = run;
    return [
      event('ci.pipeline.ran', `ci.${pipeline.ciPlatform}`, pipeline.id, run.at, () =>
        defined({
          pipelineId: pipeline.id,
          repo: pipeline.repo,
          triggeredBy: run.triggeredBy ?? undefined,
          secretsUsed: run.secretsUsed.length > 0 ? [...run.secretsUsed] : undefined,
          assumedRoles:
            run.assumedRoles.length > 0 ? run.assumedRoles.map((role) => this.catalog.roleId(role)) : undefined,
          deployedTo: run.deployedTo.length > 0 ? [...run.deployedTo] : undefined,
        }),
      ),
    ];
  }

  nhi(index: number): Plan {
    const model = this.nhis.model(index);
    const nhi = model.identity;
    const event = this.factory('nhi', index);
    const iam = `iam.${nhi.platform}`;
    const personId = (i: number | null): string | undefined => (i === null ? undefined : this.people.get(i).id);
    const plan: Plan = [
      event('iam.nhi.created', iam, nhi.id, nhi.createdAt, () =>
        defined({
          nhiId: nhi.id,
          kind: nhi.kind,
          name: nhi.name,
          platform: nhi.platform,
          environment: nhi.environment,
          createdBy: this.nhis.creatorId(nhi.creator) ?? undefined,
          ownerId: personId(model.ownerIndex),
          vendorId: model.vendorIndex === null ? undefined : this.vendors.get(model.vendorIndex).id,
          purpose: model.purpose,
          expiresAt: model.expiresAt === null ? undefined : isoTime(model.expiresAt),
        }),
      ),
    ];

    for (const workloadDeployment of model.workload?.deployments ?? []) {
      const workload = model.workload!;
      plan.push(
        event('workload.deployed', `deploy.${nhi.platform}`, workload.id, workloadDeployment.at, () =>
          defined({
            workloadId: workload.id,
            name: workload.name,
            runsAs: nhi.id,
            ownerId: personId(workloadDeployment.ownerIndex),
            environment: nhi.environment,
          }),
        ),
      );
    }

    for (const credential of model.credentials) {
      const base = credential.versions[0]!.id;
      plan.push(
        event('iam.credential.created', iam, base, credential.createdAt, () =>
          defined({
            credentialId: base,
            nhiId: nhi.id,
            kind: credential.kind,
            createdBy: credential.createdBy ?? undefined,
            expiresAt: credential.expiresAt === null ? undefined : isoTime(credential.expiresAt),
            fingerprint: this.nhis.fingerprint(index, credential.ordinal),
          }),
        ),
      );
      const { store } = credential;
      if (store) {
        plan.push(
          event('ci.secret.stored', store.source, base, store.at, () => ({
            credentialId: base,
            location: { kind: store.kind, id: store.id },
          })),
        );
      }
      for (let v = 1; v < credential.versions.length; v++) {
        const previous = credential.versions[v - 1]!.id;
        const next = credential.versions[v]!;
        plan.push(
          event('iam.credential.rotated', iam, previous, next.at, () => ({
            credentialId: previous,
            newCredentialId: next.id,
          })),
        );
      }
      const { deletedAt } = credential;
      if (deletedAt !== null) {
        // Every rotation comes before the deletion: the last version is the one deleted.
        const last = credential.versions[credential.versions.length - 1]!.id;
        plan.push(event('iam.credential.deleted', iam, last, deletedAt, () => ({ credentialId: last })));
      }
    }

    for (const [granted, revoked, grants] of [
      ['iam.role.granted', 'iam.role.revoked', model.roles],
      ['iam.trust.granted', 'iam.trust.revoked', model.trusts],
    ] as const) {
      for (const grant of grants) {
        const assignment = { principalId: nhi.id, roleId: this.catalog.roleId(grant.roleIndex) };
        plan.push(event(granted, iam, nhi.id, grant.at, () => ({ ...assignment })));
        if (grant.revokedAt !== null)
          plan.push(event(revoked, iam, nhi.id, grant.revokedAt, () => ({ ...assignment })));
      }
    }

    const { ownerAssigned } = model;
    if (ownerAssigned) {
      plan.push(
        event('iam.owner.assigned', iam, nhi.id, ownerAssigned.at, () => ({
          nhiId: nhi.id,
          ownerId: this.people.get(ownerAssigned.personIndex).id,
        })),
      );
    }

    for (const use of model.usage) {
      plan.push(
        event('audit.credential.used', `audit.${nhi.platform}`, use.credentialId ?? nhi.id, use.at, () =>
          defined({
            credentialId: use.credentialId ?? undefined,
            nhiId: use.credentialId === null ? nhi.id : undefined,
            actorId: use.actorId,
            action: use.action,
            resourceId: this.catalog.resourceId(use.resource),
            sourceIp: use.sourceIp,
            interactive: use.interactive,
          }),
        ),
      );
    }

    const { deletedAt } = nhi;
    if (deletedAt !== null) plan.push(event('iam.nhi.deleted', iam, nhi.id, deletedAt, () => ({ nhiId: nhi.id })));
    return sortPlan(plan);
  }

  /** Builds the planned events of one entity, with ids from (seed, family, index, position). */
  private factory(family: FamilyName, index: number) {
    const prefix = `${this.seed}-${family}-${index}-`;
    return <K extends GeneratedEventType>(
      type: K,
      source: string,
      subject: string,
      time: number,
      data: () => GeneratedEventData[K],
    ): PlannedEvent<CanonicalEventOfType<K>> => ({
      time,
      build: (ordinal) => ({
        specversion: '1.0',
        id: `${prefix}${ordinal}`,
        source,
        type,
        time: isoTime(time),
        subject,
        data: data(),
      }),
    });
  }
}
