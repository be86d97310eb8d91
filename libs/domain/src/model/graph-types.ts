import type { Confidence, NodeKind, RelationKind } from './graph-model';

/** Epoch milliseconds. Every time inside the domain is one; transports convert at the edge. */
export type EpochMs = number;

export type AttributeValue = string | number | boolean | null | readonly string[];
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** A node as the store holds it: its latest known properties and its validity interval. */
export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  readonly name: string | null;
  readonly source: string | null;
  readonly firstSeen: EpochMs;
  readonly lastSeen: EpochMs;
  readonly validFrom: EpochMs;
  readonly validTo: EpochMs | null;
  /** True while the node is known only from references (no defining event yet). */
  readonly placeholder: boolean;
  readonly attributes: Attributes;
}

/** One validity interval of a relationship. A relationship granted twice has two. */
export interface GraphRelationship {
  readonly type: RelationKind;
  readonly from: string;
  readonly to: string;
  readonly validFrom: EpochMs;
  readonly validTo: EpochMs | null;
  readonly firstSeen: EpochMs;
  readonly lastSeen: EpochMs;
  readonly confidence: Confidence;
  readonly source: string | null;
  readonly evidence: readonly string[];
  readonly attributes: Attributes;
}

/**
 * Ids in UTF-16 code-unit order (JavaScript's own). For every id without a character above U+FFFF
 * this is also code-point order, the order of SQLite's BINARY collation over UTF-8, so what is
 * sorted here walks the embedded store's indexes in order. Ids with such characters may sort
 * otherwise than a store does; the order is still total, which is all the callers need: answers
 * sorted here come out the same on every store, and two writers lock shared rows in one order.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isValidAt(item: { validFrom: EpochMs; validTo: EpochMs | null }, asOf: EpochMs): boolean {
  return item.validFrom <= asOf && (item.validTo === null || asOf < item.validTo);
}

/** A credential that exists at `asOf` and is not revoked, expired or disabled: no status means active. */
export function isCredentialLive(credential: GraphNode, asOf: EpochMs): boolean {
  const status = credential.attributes['status'];
  return isValidAt(credential, asOf) && (status === undefined || status === null || status === 'active');
}

export interface Page<T> {
  readonly items: readonly T[];
  /** One opaque cursor per item: where a client resumes after that item. */
  readonly cursors: readonly string[];
  readonly totalCount: number;
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
}

export interface PageRequest {
  readonly first: number;
  readonly after?: string | null;
}
