import type { AttributeValue, Confidence, GraphNode, GraphRelationship, NodeKind, NodeState, RelationKind } from '@lineage/domain';

/** Row shapes of the embedded store and their mapping to domain types; nothing else parses rows. */
export interface NodeRow {
  id: string;
  kind: string;
  name: string | null;
  source: string | null;
  first_seen: number;
  last_seen: number;
  valid_from: number;
  valid_to: number | null;
  placeholder: number;
  attributes: string;
  property_times: string;
}

export interface RelationshipRow {
  type: string;
  src: string;
  dst: string;
  valid_from: number;
  valid_to: number | null;
  first_seen: number;
  last_seen: number;
  confidence: string;
  source: string | null;
  evidence: string;
  attributes: string;
}

export const NODE_COLUMNS = 'id, kind, name, source, first_seen, last_seen, valid_from, valid_to, placeholder, attributes, property_times';
export const RELATIONSHIP_COLUMNS = 'type, src, dst, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes';

export function toNodeState(row: NodeRow): NodeState {
  return {
    id: row.id,
    kind: row.kind as NodeKind,
    name: row.name,
    source: row.source,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    placeholder: row.placeholder === 1,
    attributes: JSON.parse(row.attributes) as Record<string, AttributeValue>,
    propertyTimes: JSON.parse(row.property_times) as Record<string, number>,
  };
}

export function toNode(row: NodeRow): GraphNode {
  const { propertyTimes: _times, ...node } = toNodeState(row);
  return node;
}

export function fromNodeState(node: NodeState): NodeRow {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    source: node.source,
    first_seen: node.firstSeen,
    last_seen: node.lastSeen,
    valid_from: node.validFrom,
    valid_to: node.validTo,
    placeholder: node.placeholder ? 1 : 0,
    attributes: JSON.stringify(node.attributes),
    property_times: JSON.stringify(node.propertyTimes),
  };
}

export function toRelationship(row: RelationshipRow): GraphRelationship {
  return {
    type: row.type as RelationKind,
    from: row.src,
    to: row.dst,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    confidence: row.confidence as Confidence,
    source: row.source,
    evidence: JSON.parse(row.evidence) as string[],
    attributes: JSON.parse(row.attributes) as Record<string, AttributeValue>,
  };
}

export function fromRelationship(rel: GraphRelationship): RelationshipRow {
  return {
    type: rel.type,
    src: rel.from,
    dst: rel.to,
    valid_from: rel.validFrom,
    valid_to: rel.validTo,
    first_seen: rel.firstSeen,
    last_seen: rel.lastSeen,
    confidence: rel.confidence,
    source: rel.source,
    evidence: JSON.stringify(rel.evidence),
    attributes: JSON.stringify(rel.attributes),
  };
}

/** SQL that is true when a row with valid_from / valid_to holds at the named parameter. */
export function validAt(alias: string, param = '@asOf'): string {
  return `(${alias}.valid_from <= ${param} AND (${alias}.valid_to IS NULL OR ${param} < ${alias}.valid_to))`;
}

/** `(?, ?, …)` with one placeholder per value, for IN lists built from domain constants. */
export function placeholders(count: number): string {
  return `(${new Array<string>(count).fill('?').join(', ')})`;
}
