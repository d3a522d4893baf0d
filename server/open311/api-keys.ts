import { createHash, timingSafeEqual } from 'node:crypto'
import type { Source } from '../../shared/enums.js'

/** One configured Open311 key and the channel its reports are counted under (a 12345 platform: hotline_12345). */
export interface Open311Key { readonly key: string, readonly source: Source }

/** `index`: the key's place in the configured list (GET /api/v1/sources counts each key as `open311:<index + 1>`). */
export type KeyCheck = { ok: true, source: Source, index: number } | { ok: false, description: string }

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * The whole of Open311's access control until the access issue (#14) brings users, roles and API keys: it replaces
 * this function and nothing else. Keys come from OPEN311_API_KEYS; none configured refuses every POST.
 */
export function checkApiKey(keys: readonly Open311Key[], given: string | undefined): KeyCheck {
  if (keys.length === 0) return { ok: false, description: 'api_key: this server accepts no Open311 submissions (no keys configured: OPEN311_API_KEYS)' }
  if (!given) return { ok: false, description: 'api_key: required to submit a service request' }
  const d = digest(given) // equal-length digests: the comparison takes the same time whichever key is tried
  const index = keys.findIndex(k => timingSafeEqual(digest(k.key), d))
  return index >= 0 ? { ok: true, source: keys[index]!.source, index } : { ok: false, description: 'api_key: invalid key' }
}
