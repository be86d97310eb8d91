import type { AttributeValue, Confidence, EpochMs, GraphNode, GraphRelationship, NodeKind, NodeState, RelationKind } from '@lineage/domain';

/**
 * Rows the writer binds, and the mapping of raw read rows to domain types; nothing else parses rows.
 * Written rows are arrays in their column list's order (`NODE_COLUMNS`, `RELATIONSHIP_COLUMNS`),
 * bound to `?` placeholders: better-sqlite3 binds an array by position, which costs about half of
 * binding an object's eleven properties by name.
 */
export type NodeRow = [
  id: string,
  kind: string,
  name: string | null,
  source: string | null,
  firstSeen: number,
  lastSeen: number,
  validFrom: number,
  validTo: number | null,
  placeholder: number,
  attributes: string,
  propertyTimes: string,
];

export type RelationshipRow = [
  type: string,
  src: string,
  dst: string,
  validFrom: number,
  validTo: number | null,
  firstSeen: number,
  lastSeen: number,
  confidence: string,
  source: string | null,
  evidence: string,
  attributes: string,
];

/** What reads select of a node; the writer's `NODE_COLUMNS` add the property times, last. */
const NODE_READ_COLUMNS = 'id, kind, name, source, first_seen, last_seen, valid_from, valid_to, placeholder, attributes';
/**
 * The column of a node's property times, in the packed form `encodePropertyTimes` writes (migration
 * 10 named it so: a release that knows only `property_times`, and would misread the packed form,
 * fails to prepare its statements instead).
 */
export const PROPERTY_TIMES_COLUMN = 'packed_property_times';
export const NODE_COLUMNS = `${NODE_READ_COLUMNS}, ${PROPERTY_TIMES_COLUMN}`;
export const RELATIONSHIP_COLUMNS = 'type, src, dst, valid_from, valid_to, first_seen, last_seen, confidence, source, evidence, attributes';

/*
 * Reads select raw rows (better-sqlite3's `.raw()`: arrays, not objects), which makes each row
 * about a fifth cheaper, and map them here by position. A query that joins a relationship to a
 * node selects both column lists and maps each from its offset.
 */

/** A node's columns as reads select them, optionally prefixed with a table alias; property times stay with the writer. */
export function nodeColumns(alias?: string): string {
  return columnList(NODE_READ_COLUMNS, alias);
}

/** A relationship's columns, optionally prefixed with a table alias, in the order `relationshipAt` reads them. */
export function relationshipColumns(alias?: string): string {
  return columnList(RELATIONSHIP_COLUMNS, alias);
}

/** A list of columns, each prefixed with a table alias when one is given. */
export function columnList(columns: string, alias: string | undefined): string {
  return alias ? columns.split(', ').map((column) => `${alias}.${column}`).join(', ') : columns;
}

/** How many columns each list selects: where the next table's columns start in a joined row. */
export const NODE_READ_WIDTH = nodeColumns().split(', ').length;
export const RELATIONSHIP_WIDTH = relationshipColumns().split(', ').length;
/** Columns in a row the writer binds for a node: what reads select, then the property times. */
export const NODE_WIDTH = NODE_READ_WIDTH + 1;

/** A node from a raw row whose `nodeColumns` start at `at` (for a joined row). */
export function nodeAt(row: readonly unknown[], at: number): GraphNode {
  return {
    id: row[at] as string,
    kind: row[at + 1] as NodeKind,
    name: row[at + 2] as string | null,
    source: row[at + 3] as string | null,
    firstSeen: row[at + 4] as number,
    lastSeen: row[at + 5] as number,
    validFrom: row[at + 6] as number,
    validTo: row[at + 7] as number | null,
    placeholder: row[at + 8] === 1,
    attributes: JSON.parse(row[at + 9] as string) as Record<string, AttributeValue>,
  };
}

/** A node from a raw row of `nodeColumns` alone; one argument, so it is safe as a map callback. */
export function nodeOf(row: readonly unknown[]): GraphNode {
  return nodeAt(row, 0);
}

/** A relationship from a raw row of `relationshipColumns` alone; safe as a map callback. */
export function relationshipOf(row: readonly unknown[]): GraphRelationship {
  return relationshipAt(row, 0);
}

/** The writer's view of a node: a raw row of every column (`NODE_COLUMNS`), property times last. */
export function nodeStateAt(row: readonly unknown[]): NodeState {
  const node = nodeOf(row);
  return { ...node, propertyTimes: decodePropertyTimes(row[NODE_READ_WIDTH] as string, node) };
}

/*
 * Property times, as stored. Nearly every property of a node was last written by one event, so
 * its times repeat one value: `{"nhiKind":1701446285014,"platform":1701446285014,…}` was a third
 * of the `nodes` table. A node's properties are known from the row itself (its attribute keys,
 * `$kind` once it is defined, `$name` once it has a name), so the column keeps only the time most
 * of them share and the times that differ: `[1701446285014]`, or `[base, {"status": t}]`.
 * Whatever that form cannot say (a property with no time, a time for one the row does not show)
 * is stored whole, as the object it was; rows written before this form are read as they are.
 */

const KIND_TIME = '$kind';
const NAME_TIME = '$name';

/** The properties a node's row shows, whose times the compact form may leave to its base. */
function shownProperties(node: GraphNode): string[] {
  const keys = Object.keys(node.attributes);
  if (!node.placeholder) keys.push(KIND_TIME);
  if (node.name !== null) keys.push(NAME_TIME);
  return keys;
}

/** Whether `shownProperties(node)` holds `key` (the same rule), without listing them. */
function isShown(node: GraphNode, key: string): boolean {
  if (key === KIND_TIME && !node.placeholder) return true;
  if (key === NAME_TIME && node.name !== null) return true;
  return Object.hasOwn(node.attributes, key);
}

export function encodePropertyTimes(node: NodeState): string {
  const times = node.propertyTimes;
  const base = sharedTime(times, shownProperties(node));
  if (base === undefined) return JSON.stringify(times);
  let exceptions: [string, number][] | undefined;
  for (const key of Object.keys(times)) {
    const time = times[key]!;
    if (time !== base || !isShown(node, key)) (exceptions ??= []).push([key, time]);
  }
  // fromEntries, not assignment: a property named `__proto__` stays a key of its own.
  return JSON.stringify(exceptions ? [base, Object.fromEntries(exceptions)] : [base]);
}

/**
 * The time most of the shown properties were written at (of equal counts, the first shown), or
 * undefined when there are none or one has no time. Nearly always they all share one.
 */
function sharedTime(times: Readonly<Record<string, EpochMs>>, shown: readonly string[]): EpochMs | undefined {
  let first: EpochMs | undefined;
  let uniform = true;
  for (const key of shown) {
    const time = times[key];
    if (time === undefined) return undefined;
    first ??= time;
    if (time !== first) uniform = false;
  }
  if (uniform) return first;
  const counts = new Map<EpochMs, number>();
  for (const key of shown) counts.set(times[key]!, (counts.get(times[key]!) ?? 0) + 1);
  let base: EpochMs | undefined;
  let most = 0;
  for (const [time, count] of counts) {
    if (count > most) [base, most] = [time, count];
  }
  return base;
}

export function decodePropertyTimes(text: string, node: GraphNode): Record<string, number> {
  const stored = JSON.parse(text) as Record<string, number> | [number, Record<string, number>?];
  if (!Array.isArray(stored)) return stored;
  const [base, exceptions] = stored;
  const times: Record<string, number> = {};
  for (const key of shownProperties(node)) setOwn(times, key, base);
  // An exception overrides the base.
  if (exceptions) for (const key of Object.keys(exceptions)) setOwn(times, key, exceptions[key]!);
  return times;
}

/** Sets a key of the object's own, whatever its name (`__proto__` included, as `fromEntries` would). */
function setOwn(target: Record<string, number>, key: string, value: number): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A relationship from a raw row whose `relationshipColumns` start at `at` (for a joined row). */
export function relationshipAt(row: readonly unknown[], at: number): GraphRelationship {
  return {
    type: row[at] as RelationKind,
    from: row[at + 1] as string,
    to: row[at + 2] as string,
    validFrom: row[at + 3] as number,
    validTo: row[at + 4] as number | null,
    firstSeen: row[at + 5] as number,
    lastSeen: row[at + 6] as number,
    confidence: row[at + 7] as Confidence,
    source: row[at + 8] as string | null,
    evidence: JSON.parse(row[at + 9] as string) as string[],
    attributes: JSON.parse(row[at + 10] as string) as Record<string, AttributeValue>,
  };
}

/** A node as the writer read it: its state, and the raw row (`NODE_COLUMNS`) it came from. */
export interface StoredNode {
  readonly state: NodeState;
  readonly row: readonly unknown[];
}

/**
 * The row the writer binds for a node. Given the node as it was stored, the row's attribute and
 * property-time texts are reused where the merge left those objects as they were (it shares them
 * when a fact wins no property: `mergeNode`), instead of encoding the same values again. Property
 * times stored whole, in the form older releases wrote, are packed anew.
 */
export function fromNodeState(node: NodeState, stored?: StoredNode): NodeRow {
  const sameAttributes = stored !== undefined && node.attributes === stored.state.attributes;
  const storedTimes = stored?.row[NODE_READ_WIDTH];
  const sameTimes =
    sameAttributes &&
    node.propertyTimes === stored.state.propertyTimes &&
    // What the packed form leaves to its base is what the row shows: the same here.
    node.placeholder === stored.state.placeholder &&
    (node.name === null) === (stored.state.name === null) &&
    typeof storedTimes === 'string' &&
    storedTimes.startsWith('[');
  return [
    node.id,
    node.kind,
    node.name,
    node.source,
    node.firstSeen,
    node.lastSeen,
    node.validFrom,
    node.validTo,
    node.placeholder ? 1 : 0,
    sameAttributes ? (stored.row[NODE_READ_WIDTH - 1] as string) : JSON.stringify(node.attributes),
    sameTimes ? storedTimes : encodePropertyTimes(node),
  ];
}

export function fromRelationship(rel: GraphRelationship): RelationshipRow {
  return [
    rel.type,
    rel.from,
    rel.to,
    rel.validFrom,
    rel.validTo,
    rel.firstSeen,
    rel.lastSeen,
    rel.confidence,
    rel.source,
    JSON.stringify(rel.evidence),
    JSON.stringify(rel.attributes),
  ];
}

/** SQL that is true when a row with valid_from / valid_to holds at the named parameter. */
export function validAt(alias: string, param = '@asOf'): string {
  return `(${alias}.valid_from <= ${param} AND (${alias}.valid_to IS NULL OR ${param} < ${alias}.valid_to))`;
}

/**
 * `('A', 'B', …)`: an IN list of domain constants written into the SQL (never user input), where a
 * partial index's condition must be repeated word for word or the planner should see the values.
 */
export function sqlStrings(values: readonly string[]): string {
  return `(${values.map((value) => `'${value}'`).join(', ')})`;
}

/** `(?, ?, …)` with one placeholder per value, for IN lists built from domain constants. */
export function placeholders(count: number): string {
  return `(${new Array<string>(count).fill('?').join(', ')})`;
}
