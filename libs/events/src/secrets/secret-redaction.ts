import { locateSecret } from './secret-detector';

/** What replaces a secret value in anything this product keeps (dead letters included). */
export const REDACTED = '[REDACTED]';
const MAX_REDACTIONS = 1000;

/**
 * A copy of `value` with every value the secret detector flags replaced by `[REDACTED]`. Used
 * before an event refused for carrying a secret is dead-lettered: the dead-letter store keeps the
 * event, never the secret.
 */
export function redactSecrets(value: unknown): { value: unknown; redacted: number } {
  let copy = structuredClone(value);
  for (let redacted = 0; redacted < MAX_REDACTIONS; redacted++) {
    const found = locateSecret(copy);
    if (found === null) return { value: copy, redacted };
    if (found.segments.length === 0) return { value: REDACTED, redacted: redacted + 1 };
    copy = replaceAt(copy, found.segments);
  }
  // A pathological input: keep nothing of it rather than risk keeping a secret.
  return { value: REDACTED, redacted: MAX_REDACTIONS };
}

function replaceAt(root: unknown, segments: ReadonlyArray<string | number>): unknown {
  let parent = root as Record<string | number, unknown>;
  for (const segment of segments.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
  parent[segments[segments.length - 1]!] = REDACTED;
  return root;
}
