import type { NodeState } from '../facts/fact-merge';
import type { NodeKind } from '../model/graph-model';
import type { EpochMs, GraphNode } from '../model/graph-types';

/**
 * Test support: a defined node that has existed since `at`, with the given attributes and any
 * other field overridden. Specs of every lib build their graphs from it.
 */
export function fixtureNode(kind: NodeKind, id: string, at: EpochMs, overrides: Partial<GraphNode> = {}): GraphNode {
  return {
    id,
    kind,
    name: null,
    source: 'test',
    firstSeen: at,
    lastSeen: at,
    validFrom: at,
    validTo: null,
    placeholder: false,
    attributes: {},
    ...overrides,
  };
}

/** The same node as a store holds it, with its per-property event times. */
export function fixtureNodeState(kind: NodeKind, id: string, at: EpochMs, overrides: Partial<NodeState> = {}): NodeState {
  return { ...fixtureNode(kind, id, at, overrides), propertyTimes: overrides.propertyTimes ?? {} };
}
