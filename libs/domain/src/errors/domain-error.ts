/** Errors the domain raises, each with a code that every transport maps exhaustively. */
export const DOMAIN_ERROR_CODES = ['NOT_FOUND', 'BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'UNAVAILABLE'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The argument or field the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string): DomainError => new DomainError('NOT_FOUND', `${what} ${id} not found`);
export const badInput = (field: string, reason: string): DomainError => new DomainError('BAD_USER_INPUT', `${field}: ${reason}`, field);
