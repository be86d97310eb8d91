import { MAX_BLAST_DEPTH, NODE_KIND_NAMES, RELATION_KIND_NAMES } from '@lineage/domain';
import { BLAST_ROOT, HOLDERS, ROLE_GRANTS, ROLE_REACH, roleReachQuery } from './neo4j-blast-radius';
import { COUNT_NEIGHBOURS, NEIGHBOURS, TIMELINE_PAGE } from './neo4j-graph-reads';
import {
  CREATE_INTERVALS,
  DELETE_INTERVALS,
  LOAD_ANCHORED_FROM,
  LOAD_ANCHORED_TO,
  LOAD_NODES,
  LOAD_RELATIONSHIP_KEYS,
  LOCK_NODES,
  LOCK_OR_CREATE_NODES,
  UPSERT_NODES,
} from './neo4j-graph-writes';
import { BUMP_COUNTERS, PENDING_FOLLOW_UPS, RECORD_EVENTS, WRITE_FOLLOW_UPS, WRITE_TIMELINE } from './neo4j-ledger';
import { ACCOUNTABILITY_CANDIDATES, ACTIVE_CREDENTIALS, LINEAGE_SUBGRAPH, NHI_PAGE } from './neo4j-lineage-queries';
import { DELIVERY_OUTBOX, MARK_DELIVERED, MERGE_PLAN, PENDING_DELIVERIES, PLAN_DELIVERIES, UNDELIVERED_PLAN_PAGE } from './neo4j-plans';
import { RESERVE_SEQUENCE } from './neo4j-sequences';

/**
 * The text of the important queries, snapshotted so that a change to any of them shows up in
 * review (the snapshot file sits beside this spec). The builders are also checked for what they
 * must get right whatever the text: one query per kind and type, no value spliced in.
 */
describe('query texts', () => {
  it.each([
    ['LINEAGE_SUBGRAPH', LINEAGE_SUBGRAPH],
    ['ACCOUNTABILITY_CANDIDATES', ACCOUNTABILITY_CANDIDATES],
    ['ACTIVE_CREDENTIALS', ACTIVE_CREDENTIALS],
    ['NHI_PAGE', NHI_PAGE],
    ['BLAST_ROOT', BLAST_ROOT],
    ['ROLE_REACH depth 1', ROLE_REACH[1]],
    ['ROLE_REACH depth 4', ROLE_REACH[4]],
    ['ROLE_GRANTS', ROLE_GRANTS],
    ['HOLDERS', HOLDERS],
    ['LOCK_OR_CREATE_NODES', LOCK_OR_CREATE_NODES],
    ['LOCK_NODES', LOCK_NODES],
    ['LOAD_NODES', LOAD_NODES],
    ['LOAD_RELATIONSHIP_KEYS', LOAD_RELATIONSHIP_KEYS],
    ['LOAD_ANCHORED_FROM', LOAD_ANCHORED_FROM],
    ['LOAD_ANCHORED_TO', LOAD_ANCHORED_TO],
    ['UPSERT_NODES.Credential', UPSERT_NODES.Credential],
    ['DELETE_INTERVALS.AUTHENTICATES', DELETE_INTERVALS.AUTHENTICATES],
    ['CREATE_INTERVALS.AUTHENTICATES', CREATE_INTERVALS.AUTHENTICATES],
    ['RECORD_EVENTS', RECORD_EVENTS],
    ['WRITE_TIMELINE', WRITE_TIMELINE],
    ['BUMP_COUNTERS', BUMP_COUNTERS],
    ['RESERVE_SEQUENCE', RESERVE_SEQUENCE],
    ['WRITE_FOLLOW_UPS', WRITE_FOLLOW_UPS],
    ['PENDING_FOLLOW_UPS', PENDING_FOLLOW_UPS],
    ['TIMELINE_PAGE', TIMELINE_PAGE],
    ['NEIGHBOURS.in.OWNS', NEIGHBOURS.in.OWNS],
    ['MERGE_PLAN', MERGE_PLAN],
    ['PENDING_DELIVERIES', PENDING_DELIVERIES],
    ['DELIVERY_OUTBOX', DELIVERY_OUTBOX],
    ['MARK_DELIVERED', MARK_DELIVERED],
    ['PLAN_DELIVERIES', PLAN_DELIVERIES],
    ['UNDELIVERED_PLAN_PAGE', UNDELIVERED_PLAN_PAGE],
  ])('%s', (_name, query) => {
    expect(query).toMatchSnapshot();
  });
});

describe('per-kind and per-type query builders', () => {
  it('has one node upsert per kind, each setting its own label and removing every other kind label', () => {
    expect(Object.keys(UPSERT_NODES).sort()).toEqual([...NODE_KIND_NAMES].sort());
    for (const kind of NODE_KIND_NAMES) {
      const query = UPSERT_NODES[kind];
      expect(query).toContain(`SET n:${kind}`);
      const removed = /REMOVE n((?::\w+)+)/.exec(query)?.[1]?.split(':').filter(Boolean) ?? [];
      expect(removed.sort()).toEqual(NODE_KIND_NAMES.filter((other) => other !== kind).sort());
    }
  });

  it('has a delete, a create, and an in and out neighbour query per relationship type, naming that type', () => {
    for (const type of RELATION_KIND_NAMES) {
      for (const query of [
        DELETE_INTERVALS[type],
        CREATE_INTERVALS[type],
        NEIGHBOURS.in[type],
        NEIGHBOURS.out[type],
        COUNT_NEIGHBOURS.in[type],
        COUNT_NEIGHBOURS.out[type],
      ]) {
        expect(query).toContain(`[r:${type}]`);
      }
    }
    expect(NEIGHBOURS.out.OWNS).toContain('(a:Node {id: $id})-[r:OWNS]->(n:Node)');
    expect(NEIGHBOURS.in.OWNS).toContain('(a:Node {id: $id})<-[r:OWNS]-(n:Node)');
  });

  it('builds one role-reach query per depth with the bound written in, and refuses other depths', () => {
    expect(ROLE_REACH).toHaveLength(MAX_BLAST_DEPTH + 1);
    expect(ROLE_REACH[1]).not.toContain('CAN_ASSUME WHERE (c.');
    for (let depth = 2; depth <= MAX_BLAST_DEPTH; depth++) expect(ROLE_REACH[depth]).toContain(`){0,${depth - 1}}`);
    for (const depth of [0, MAX_BLAST_DEPTH + 1, 2.5, Number.NaN]) {
      expect(() => roleReachQuery(depth)).toThrow(
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'maxDepth' }) as Error,
      );
    }
  });

  it('takes every value as a parameter: no quoted literal but the documented defaults', () => {
    const all = [
      LINEAGE_SUBGRAPH,
      ACCOUNTABILITY_CANDIDATES,
      NHI_PAGE,
      BLAST_ROOT,
      ...ROLE_REACH.slice(1),
      ROLE_GRANTS,
      HOLDERS,
      LOAD_NODES,
      LOAD_RELATIONSHIP_KEYS,
      RECORD_EVENTS,
      TIMELINE_PAGE,
      ...Object.values(UPSERT_NODES),
      ...Object.values(CREATE_INTERVALS),
    ];
    for (const query of all) expect(query).not.toMatch(/"[^"]*"/);
    // The one string literal: a credential with no status counts as active.
    expect(ACTIVE_CREDENTIALS.match(/'[^']*'/g)).toEqual(["'active'", "'active'"]);
  });
});
