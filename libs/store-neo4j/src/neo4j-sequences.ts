import type { QueryRunner } from './neo4j-session';
import { run } from './neo4j-session';
import { readNumber } from './neo4j-values';

/**
 * Numbered rows (dead letters, plans, plan deliveries, follow-ups) take their numbers from a `:Sequence`
 * node. MERGE on its unique name and the SET write-lock the node, so concurrent transactions
 * reserve disjoint ranges; a rolled-back transaction gives its range back.
 */
export const RESERVE_SEQUENCE = `
MERGE (s:Sequence {name: $name})
ON CREATE SET s.value = 0
SET s.value = s.value + $count
RETURN s.value - $count AS last`;

export const SEQUENCES = { deadLetter: 'DeadLetter', plan: 'OffboardingPlan', planDelivery: 'PlanDelivery', followUp: 'FollowUp' } as const;

/** Reserve `count` numbers of `name`; returns the first (numbers start at 1). */
export async function reserveSequence(tx: QueryRunner, name: string, count: number): Promise<number> {
  const records = await run(tx, RESERVE_SEQUENCE, { name, count });
  return readNumber(records[0]?.get('last'), `sequence ${name}`) + 1;
}
