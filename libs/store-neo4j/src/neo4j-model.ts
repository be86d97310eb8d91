import type { NodeKind, RelationKind } from '@lineage/domain';
import { NODE_KIND_NAMES, RELATION_KIND_NAMES } from '@lineage/domain';

/**
 * How the domain's graph model maps onto Neo4j, derived once from `NODE_KINDS` and
 * `RELATION_KINDS`. Labels and relationship types cannot be query parameters, so every query
 * that names one is built from these constants at module load; each name is checked to be a
 * plain identifier first, so nothing but the model's own names is ever spliced into Cypher.
 */

/** Every graph node carries this label besides its kind label; bookkeeping nodes never do. */
export const NODE_LABEL = 'Node';

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A label or relationship type from the model, checked to be safe to write into query text. */
export function cypherName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain Cypher identifier`);
  return name;
}

/** The label of each node kind (the kind's own name). */
export const KIND_LABELS: Readonly<Record<NodeKind, string>> = Object.fromEntries(
  NODE_KIND_NAMES.map((kind) => [kind, cypherName(kind)]),
) as Record<NodeKind, string>;

/** The Neo4j relationship type of each relation kind (the kind's own name). */
export const RELATIONSHIP_TYPES: Readonly<Record<RelationKind, string>> = Object.fromEntries(
  RELATION_KIND_NAMES.map((type) => [type, cypherName(type)]),
) as Record<RelationKind, string>;

cypherName(NODE_LABEL);

/**
 * Labels of the adapter's bookkeeping nodes: not part of the lineage graph, never `:Node`. Listed
 * here so the schema tests can tell a mistyped label from a real one.
 */
export const BOOKKEEPING_LABELS = [
  'IngestedEvent',
  'TimelineEntry',
  'IngestCounter',
  'DeadLetter',
  'Checkpoint',
  'Sequence',
  'OffboardingPlan',
  'PlanDelivery',
  'ApiKey',
  'SchemaMigration',
  'FollowUp',
] as const;

/** `A|B|C`: a relationship type expression matching any of `types`. */
export function typeUnion(types: readonly RelationKind[]): string {
  if (types.length === 0) throw new Error('a relationship type expression needs at least one type');
  return types.map((type) => RELATIONSHIP_TYPES[type]).join('|');
}

/** `:A:B:C`: every kind label but `kind`'s, for a REMOVE that fixes a node's labels when its kind changes. */
export function otherKindLabels(kind: NodeKind): string {
  return NODE_KIND_NAMES.filter((other) => other !== kind)
    .map((other) => `:${KIND_LABELS[other]}`)
    .join('');
}

/** The properties every graph node has; attributes are stored beside them and may not reuse a name. */
export const CORE_NODE_PROPERTIES = [
  'id',
  'kind',
  'name',
  'source',
  'firstSeen',
  'lastSeen',
  'validFrom',
  'validTo',
  'placeholder',
  'attributeKeys',
  'propertyTimes',
] as const;

/** The properties every relationship interval has; its attributes (GRANTS: actions, level) sit beside them. */
export const CORE_RELATIONSHIP_PROPERTIES = [
  'validFrom',
  'validTo',
  'firstSeen',
  'lastSeen',
  'confidence',
  'source',
  'evidence',
  'attributeKeys',
] as const;

/** Cypher that is true when `alias` (a node or relationship) holds at `$param`. */
export function validAt(alias: string, param = 'asOf'): string {
  cypherName(alias);
  cypherName(param);
  return `(${alias}.validFrom <= $${param} AND (${alias}.validTo IS NULL OR $${param} < ${alias}.validTo))`;
}
