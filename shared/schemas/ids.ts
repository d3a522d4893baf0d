import { z } from 'zod'

/**
 * The one character set of ids a client chooses or names (incidents, greenway features, campaigns, display links):
 * ASCII letters and digits first, then letters, digits and `_ . : -`, 1–64 characters. No spaces, slashes, `%`,
 * quotes, angle brackets or non-ASCII look-alikes, so an id is safe in a URL path, a log line, a file name and HTML.
 */
export const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/
export const SAFE_ID_RULE = 'an ASCII letter or digit, then letters, digits, _ . : - (1–64 characters)'

export function isSafeId(value: unknown): value is string {
  return typeof value === 'string' && SAFE_ID.test(value)
}

/** A zod string in the safe set; `field` names it in the message (`id: …`). */
export function safeIdSchema(field = 'id') {
  return z.string().regex(SAFE_ID, `${field}: ${SAFE_ID_RULE}`)
}
