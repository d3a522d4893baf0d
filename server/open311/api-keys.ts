import { createHash, timingSafeEqual } from 'node:crypto'
import type { Source } from '../../shared/enums.js'

/** One configured Open311 key and the channel its reports are counted under (a 12345 platform: hotline_12345). */
export interface Open311Key { readonly key: string, readonly source: Source }

/** `index`: the key's place in the configured list (GET /api/v1/sources counts each key as `open311:<index + 1>`). */
export type KeyCheck = { ok: true, source: Source, index: number } | { ok: false, description: string }

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * Keys from OPEN311_API_KEYS (still honoured beside the stored API keys of issue #14, which the router tries first;
 * see docs/SECURITY.md). With neither, every POST is refused.
 */
export function checkApiKey(keys: readonly Open311Key[], given: string | undefined): KeyCheck {
  if (keys.length === 0) return { ok: false, description: 'api_key: this server accepts no Open311 submissions (no keys configured: OPEN311_API_KEYS, or npm run user -- key add)' }
  if (!given) return { ok: false, description: 'api_key: required to submit a service request' }
  const d = digest(given) // equal-length digests: the comparison takes the same time whichever key is tried
  const index = keys.findIndex(k => timingSafeEqual(digest(k.key), d))
  return index >= 0 ? { ok: true, source: keys[index]!.source, index } : { ok: false, description: 'api_key: invalid key' }
}
