import { createHash, timingSafeEqual } from 'node:crypto'
import type { Source } from '../../shared/enums.js'

/** One configured Open311 key and the channel its reports are counted under (a 12345 platform: hotline_12345). */
export interface Open311Key { readonly key: string, readonly source: Source }

export type KeyCheck = { ok: true, source: Source } | { ok: false, description: string }

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * Keys from OPEN311_API_KEYS (still honoured beside the stored API keys of issue #14, which the router tries first;
 * see docs/SECURITY.md). With neither, every POST is refused.
 */
export function checkApiKey(keys: readonly Open311Key[], given: string | undefined): KeyCheck {
  if (keys.length === 0) return { ok: false, description: 'api_key: this server accepts no Open311 submissions (no keys configured: OPEN311_API_KEYS, or npm run user -- key add)' }
  if (!given) return { ok: false, description: 'api_key: required to submit a service request' }
  const d = digest(given) // equal-length digests: the comparison takes the same time whichever key is tried
  const match = keys.find(k => timingSafeEqual(digest(k.key), d))
  return match ? { ok: true, source: match.source } : { ok: false, description: 'api_key: invalid key' }
}
