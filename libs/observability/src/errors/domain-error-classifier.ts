import { DomainError } from '@lineage/domain';
import { StoreUnavailableError } from '@lineage/pipeline';

/**
 * The errors a transport answers with a code, as `DomainError`s: the domain's own, and the
 * pipeline's "store unavailable" (whose cause, a driver message, is not shown to clients).
 * Anything else is an internal error, which transports log and answer without detail.
 */
export function asDomainError(error: unknown): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error instanceof StoreUnavailableError)
    return new DomainError('UNAVAILABLE', 'the graph store is unavailable; retry later');
  return null;
}
