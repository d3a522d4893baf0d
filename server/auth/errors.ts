import type { ErrorDetail } from '../../shared/schemas/errors.js'

/** Bad input to a user or key operation: the HTTP layer answers 400 with these details, the CLI prints them. */
export class AuthInputError extends Error {
  constructor(readonly details: ErrorDetail[], readonly status = 400) {
    super(details.map(d => d.message).join('; '))
  }
}

export const invalid = (path: string, message: string, status = 400) => new AuthInputError([{ path, message: `${path}: ${message}` }], status)
