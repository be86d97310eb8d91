import type { DemoExamples } from './demo-examples';

/** The demo's example GraphQL requests, as curl commands a user can paste. */

export interface GraphqlRequest {
  readonly title: string;
  readonly query: string;
  readonly variables: Readonly<Record<string, string>>;
}

export const ORPHANED_BY_QUERY =
  'query OrphanedBy($personId: ID!) { orphanedBy(personId: $personId) { nhi { id name } lastAccountable { id name } credentials { id } } }';

export const LINEAGE_QUERY =
  'query Lineage($nhiId: ID!) { lineage(nhiId: $nhiId) { status accountable { id name } chain { from { id kind } relation to { id kind } evidence since } } }';

export const BLAST_RADIUS_QUERY =
  'query BlastRadius($credentialId: ID!) { blastRadius(credentialId: $credentialId) { root { id kind } truncated resources { resource { id name } level path } sharedWith { id kind } } }';

export function exampleRequests(examples: DemoExamples): GraphqlRequest[] {
  const requests: GraphqlRequest[] = [];
  if (examples.leaver) {
    requests.push({
      title: `What did ${examples.leaver.personId} leave behind? ${examples.leaver.orphaned} NHIs no active person answers for since they left:`,
      query: ORPHANED_BY_QUERY,
      variables: { personId: examples.leaver.personId },
    });
  }
  if (examples.lineage) {
    requests.push({
      title: `Who answers for ${examples.lineage.nhiId}? ${examples.lineage.accountableId ?? 'nobody'}, through a chain of creators: ${examples.lineage.chain.join(' → ')}`,
      query: LINEAGE_QUERY,
      variables: { nhiId: examples.lineage.nhiId },
    });
  }
  if (examples.blast) {
    requests.push({
      title: `What could ${examples.blast.credentialId} reach? ${examples.blast.resources} resources, ${examples.blast.adminResources} with admin access, e.g. ${examples.blast.adminPath.join(' → ')}`,
      query: BLAST_RADIUS_QUERY,
      variables: { credentialId: examples.blast.credentialId },
    });
  }
  return requests;
}

/** Single-quote a word for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `authorization` is a shell expression for the key (`"$(cat data/admin.key)"`), never the key itself. */
export function curlCommand(url: string, authorization: string, request: GraphqlRequest): string {
  const body = JSON.stringify({ query: request.query, variables: request.variables });
  return [
    `curl -s ${shellQuote(`${url}/graphql`)}`,
    `  -H "Authorization: Bearer ${authorization}"`,
    `  -H 'Content-Type: application/json'`,
    `  -d ${shellQuote(body)}`,
  ].join(' \\\n');
}
