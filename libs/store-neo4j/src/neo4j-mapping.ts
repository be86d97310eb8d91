import type { AttributeValue, Attributes, GraphNode, GraphRelationship, NodeState } from '@lineage/domain';
import { CONFIDENCES, isNodeKind, isRelationKind } from '@lineage/domain';
import { isNode, isRelationship } from 'neo4j-driver';
import { CORE_NODE_PROPERTIES, CORE_RELATIONSHIP_PROPERTIES } from './neo4j-model';
import {
  StoredValueError,
  readAttribute,
  readBoolean,
  readNullableNumber,
  readNullableString,
  readNumber,
  readString,
  readStringList,
} from './neo4j-values';

/**
 * Graph nodes and relationship intervals to Neo4j properties and back. Nothing else in the
 * adapter reads a driver `Node` or `Relationship`: every record becomes a domain type here.
 *
 * Attributes are real properties (so indexes and predicates reach them); `attributeKeys` lists
 * them, because Neo4j cannot store a null and a cleared attribute must read back as `null`.
 */

const CORE_NODE = new Set<string>(CORE_NODE_PROPERTIES);
const CORE_RELATIONSHIP = new Set<string>(CORE_RELATIONSHIP_PROPERTIES);

/** The property map a node is written with (`SET n = row.props`): nulls are left out, Neo4j stores none. */
export function nodeProperties(node: NodeState): Record<string, unknown> {
  return withoutNulls({
    ...attributeProperties(node.attributes, CORE_NODE, `node ${node.id}`),
    id: node.id,
    kind: node.kind,
    name: node.name,
    source: node.source,
    firstSeen: node.firstSeen,
    lastSeen: node.lastSeen,
    validFrom: node.validFrom,
    validTo: node.validTo,
    placeholder: node.placeholder,
    attributeKeys: Object.keys(node.attributes).sort(),
    propertyTimes: JSON.stringify(node.propertyTimes),
  });
}

/** The property map of one relationship interval. */
export function relationshipProperties(rel: GraphRelationship): Record<string, unknown> {
  return withoutNulls({
    ...attributeProperties(rel.attributes, CORE_RELATIONSHIP, `${rel.type} ${rel.from} -> ${rel.to}`),
    validFrom: rel.validFrom,
    validTo: rel.validTo,
    firstSeen: rel.firstSeen,
    lastSeen: rel.lastSeen,
    confidence: rel.confidence,
    source: rel.source,
    evidence: [...rel.evidence],
    attributeKeys: Object.keys(rel.attributes).sort(),
  });
}

function attributeProperties(
  attributes: Attributes,
  core: ReadonlySet<string>,
  owner: string,
): Record<string, AttributeValue> {
  for (const key of Object.keys(attributes)) {
    // The graph model declares attribute names; one that shadows a core property is a programming error.
    if (core.has(key)) throw new Error(`attribute "${key}" of ${owner} collides with a core property`);
  }
  return { ...attributes };
}

function withoutNulls(map: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(map)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

/** A node with its per-property event times: what the write path merges into. */
export function toNodeState(value: unknown): NodeState {
  if (!isNode(value)) throw new StoredValueError('node', value);
  const props = value.properties as Record<string, unknown>;
  const id = readString(props['id'], 'node id');
  const kind = props['kind'];
  if (!isNodeKind(kind)) throw new StoredValueError(`kind of node ${id}`, kind);
  const attributes: Record<string, AttributeValue> = {};
  for (const key of readStringList(props['attributeKeys'], `attributeKeys of node ${id}`)) {
    attributes[key] = readAttribute(props[key], `attribute ${key} of node ${id}`);
  }
  return {
    id,
    kind,
    name: readNullableString(props['name'], `name of node ${id}`),
    source: readNullableString(props['source'], `source of node ${id}`),
    firstSeen: readNumber(props['firstSeen'], `firstSeen of node ${id}`),
    lastSeen: readNumber(props['lastSeen'], `lastSeen of node ${id}`),
    validFrom: readNumber(props['validFrom'], `validFrom of node ${id}`),
    validTo: readNullableNumber(props['validTo'], `validTo of node ${id}`),
    placeholder: readBoolean(props['placeholder'], `placeholder of node ${id}`),
    attributes,
    propertyTimes: readPropertyTimes(props['propertyTimes'], id),
  };
}

function readPropertyTimes(value: unknown, id: string): Record<string, number> {
  const what = `propertyTimes of node ${id}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readString(value, what));
  } catch (error) {
    if (error instanceof StoredValueError) throw error;
    throw new StoredValueError(what, value);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new StoredValueError(what, parsed);
  const times: Record<string, number> = {};
  for (const [key, time] of Object.entries(parsed)) times[key] = readNumber(time, what);
  return times;
}

/** A node as readers return it. */
export function toGraphNode(value: unknown): GraphNode {
  const { propertyTimes: _times, ...node } = toNodeState(value);
  return node;
}

/** One relationship interval; `from` and `to` are the ids of its end nodes, returned beside it. */
export function toGraphRelationship(value: unknown, from: unknown, to: unknown): GraphRelationship {
  if (!isRelationship(value)) throw new StoredValueError('relationship', value);
  const type = value.type;
  if (!isRelationKind(type)) throw new StoredValueError('relationship type', type);
  const props = value.properties as Record<string, unknown>;
  const fromId = readString(from, `start of a ${type} relationship`);
  const toId = readString(to, `end of a ${type} relationship`);
  const owner = `${type} ${fromId} -> ${toId}`;
  const confidence = props['confidence'];
  if (!CONFIDENCES.some((c) => c === confidence)) throw new StoredValueError(`confidence of ${owner}`, confidence);
  const attributes: Record<string, AttributeValue> = {};
  for (const key of readStringList(props['attributeKeys'], `attributeKeys of ${owner}`)) {
    attributes[key] = readAttribute(props[key], `attribute ${key} of ${owner}`);
  }
  return {
    type,
    from: fromId,
    to: toId,
    validFrom: readNumber(props['validFrom'], `validFrom of ${owner}`),
    validTo: readNullableNumber(props['validTo'], `validTo of ${owner}`),
    firstSeen: readNumber(props['firstSeen'], `firstSeen of ${owner}`),
    lastSeen: readNumber(props['lastSeen'], `lastSeen of ${owner}`),
    confidence: confidence as GraphRelationship['confidence'],
    source: readNullableString(props['source'], `source of ${owner}`),
    evidence: readStringList(props['evidence'], `evidence of ${owner}`),
    attributes,
  };
}

/**
 * A relationship returned as `{rel: r, from: a.id, to: b.id}` (the shape every query that
 * returns relationships uses, since a driver `Relationship` carries internal ids only).
 */
export function toGraphRelationshipEntry(value: unknown): GraphRelationship {
  if (value === null || typeof value !== 'object') throw new StoredValueError('relationship entry', value);
  const entry = value as Record<string, unknown>;
  return toGraphRelationship(entry['rel'], entry['from'], entry['to']);
}

/** A list value of a record, checked to be a list. */
export function readList(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new StoredValueError(what, value);
  return value as unknown[];
}
