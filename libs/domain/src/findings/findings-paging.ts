import { badInput } from '../errors/domain-error';
import { resolveLineage } from '../lineage/accountability';
import type { LineageGraph } from '../lineage/lineage-graph';
import { decodeCursor, pageOf } from '../model/cursor';
import type { EpochMs, Page } from '../model/graph-types';
import type { Finding, FindingsQuery, OwaspNhiRisk } from './finding';
import { OWASP_NHI_RISKS, UNMAPPED_RISKS, riskIndex } from './finding';
import { improperOffboardingFinding } from './finding-builder';

/**
 * Paging findings across risks, the same on every store. A store supplies one function that runs
 * a rule for a window of subject ids (`id > after`, in id order, at most `limit`); this module
 * walks the requested risks in OWASP order, resumes from the cursor `[risk index, subject id]`,
 * fetches one finding more than the page to learn whether there is a next page, and counts on
 * request. NHI1 is resolved here too, from candidate ids and their lineage slice.
 */

/** Which subjects one rule run answers for: ids after `after`, in id order, at most `limit`. */
export interface RuleWindow {
  readonly after: string;
  readonly limit: number;
}

/** A store's rule runner; a synchronous store may answer directly. */
export type RunRule = (risk: OwaspNhiRisk, window: RuleWindow) => readonly Finding[] | Promise<readonly Finding[]>;

/** Subjects per rule run while counting: counting pages through every rule to the end. */
export const FINDINGS_COUNT_CHUNK = 5000;

/** Most NHI1 candidates resolved per round trip (candidate query, then one lineage slice for the chunk). */
export const IMPROPER_OFFBOARDING_CHUNK = 256;
/** Fewest per round trip: below this a round trip costs more than the lineages it saves. */
export const IMPROPER_OFFBOARDING_MIN_CHUNK = 32;

/** The risks a query asks for that facts can show, each once, in OWASP order. */
export function findingRisks(query: Pick<FindingsQuery, 'risks'>): OwaspNhiRisk[] {
  return [...new Set(query.risks ?? OWASP_NHI_RISKS)]
    .filter((risk) => !UNMAPPED_RISKS.includes(risk))
    .sort((a, b) => riskIndex(a) - riskIndex(b));
}

/** The position a cursor names: the risk index and the subject id of the last finding seen. */
function cursorPosition(after: string | null | undefined): { riskIndex: number; subjectId: string } {
  if (!after) return { riskIndex: -1, subjectId: '' };
  const [index, subjectId] = decodeCursor(after, 2);
  if (typeof index !== 'number' || !Number.isInteger(index) || typeof subjectId !== 'string') {
    throw badInput('after', 'is not a cursor this API returned');
  }
  return { riskIndex: index, subjectId };
}

/** One page of findings: by risk in OWASP order, then by subject id, after the query's cursor. */
export async function pageAcrossRisks(query: FindingsQuery, runRule: RunRule): Promise<Page<Finding>> {
  const risks = findingRisks(query);
  const { first } = query.page;
  const position = cursorPosition(query.page.after);
  const found: Finding[] = [];
  for (const risk of risks) {
    const index = riskIndex(risk);
    if (index < position.riskIndex) continue;
    const after = index === position.riskIndex ? position.subjectId : '';
    // One more than the page, to learn whether there is a next page.
    found.push(...(await runRule(risk, { after, limit: first + 1 - found.length })));
    if (found.length > first) break;
  }
  let totalCount = -1;
  if (query.withTotal) {
    totalCount = 0;
    for (const risk of risks) totalCount += await countFindings(risk, runRule);
  }
  return pageOf(found, first, (finding) => [riskIndex(finding.risk), finding.subject.id], totalCount);
}

/** Every finding of one risk, counted a chunk at a time. */
async function countFindings(risk: OwaspNhiRisk, runRule: RunRule): Promise<number> {
  let total = 0;
  let after = '';
  for (;;) {
    const chunk = await runRule(risk, { after, limit: FINDINGS_COUNT_CHUNK });
    total += chunk.length;
    const last = chunk[chunk.length - 1];
    if (chunk.length < FINDINGS_COUNT_CHUNK || !last) return total;
    after = last.subject.id;
  }
}

/** What NHI1 needs of a store: the candidates (NHIs with an active credential) and their lineage slice. */
export interface ImproperOffboardingSource {
  /** Ids of NHIs valid at the query's time that an active credential authenticates, in id order, in the window. */
  candidates(window: RuleWindow): readonly string[] | Promise<readonly string[]>;
  /** The lineage slice around some NHIs (every interval; `resolveLineage` evaluates it as of a time). */
  lineageGraph(ids: readonly string[]): LineageGraph | Promise<LineageGraph>;
}

/**
 * NHI1 (improper offboarding) for a window: candidates a chunk at a time, each chunk's lineage
 * resolved as of `asOf`; every candidate that is ORPHANED or UNOWNED is a finding.
 */
export async function findImproperOffboarding(
  window: RuleWindow,
  asOf: EpochMs,
  source: ImproperOffboardingSource,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  let after = window.after;
  let seen = 0;
  // Resolving a lineage is the cost, so a chunk is sized to what the page still needs at the hit
  // rate seen so far (a guess of one in four to start), between the bounds below.
  let size = chunkFor(window.limit, 4);
  while (findings.length < window.limit) {
    const ids = await source.candidates({ after, limit: size });
    if (ids.length === 0) break;
    const graph = await source.lineageGraph(ids);
    for (const id of ids) {
      const lineage = resolveLineage(graph, id, asOf);
      const finding = lineage && improperOffboardingFinding(lineage);
      if (finding) findings.push(finding);
      if (findings.length >= window.limit) break;
    }
    if (ids.length < size) break;
    seen += ids.length;
    after = ids[ids.length - 1]!;
    size = chunkFor(window.limit - findings.length, findings.length === 0 ? Infinity : seen / findings.length);
  }
  return findings;
}

/** Candidates to resolve for `wanted` more findings when one candidate in `perFinding` is one (with a margin). */
function chunkFor(wanted: number, perFinding: number): number {
  return Math.min(IMPROPER_OFFBOARDING_CHUNK, Math.max(IMPROPER_OFFBOARDING_MIN_CHUNK, Math.ceil(wanted * perFinding * 1.25)));
}
