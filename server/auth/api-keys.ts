import { createHash, randomBytes } from 'node:crypto'
import { SOURCES } from '../../shared/enums.js'
import type { Audit } from './audit.js'
import { invalid } from './errors.js'
import { TokenBuckets } from './token-bucket.js'
import type { ApiKey, AuthStore } from '../store/auth-records.js'

/** Keys start with a marker so a leaked one is recognisable (secret scanners, logs). */
export const KEY_PREFIX = 'cbk_'
export const keyHash = (token: string) => createHash('sha256').update(token).digest('hex')

export interface NewKey { name: string, sources: string[], scope?: string, ratePerMin?: number }

export interface KeyServiceDeps {
  store: AuthStore
  audit: Audit
  now: () => number
  scopeExists: (scope: string) => boolean
  defaultRatePerMin: number
}

/**
 * API keys for source systems (`Authorization: Bearer cbk_…`, or Open311's `api_key`): a 256-bit random token shown
 * once and stored as its SHA-256; each limited to the incident `source` values it may post, a scope, and its own
 * rate (a token bucket of `ratePerMin` reports, refilled at that rate; counted per report, not per request).
 * Rotation: add a new key for the same system, switch the system over, revoke the old one.
 */
export function createApiKeyService(deps: KeyServiceDeps) {
  const buckets = new Map<string, TokenBuckets>()
  const bucketOf = (key: Pick<ApiKey, 'id' | 'ratePerMin'>) => {
    let b = buckets.get(key.id)
    if (!b) buckets.set(key.id, b = new TokenBuckets(key.ratePerMin, 60_000 / key.ratePerMin, deps.now))
    return b
  }
  return {
    async create(input: NewKey, by: string): Promise<ApiKey & { token: string }> {
      const name = input.name.trim()
      if (!/^[\w.-]{2,48}$/.test(name) || name.includes(':')) throw invalid('name', '2–48 letters, digits, ".", "_" or "-"')
      if (input.sources.length === 0) throw invalid('sources', `at least one of ${SOURCES.join(', ')}`)
      for (const s of input.sources) if (!(SOURCES as readonly string[]).includes(s)) throw invalid('sources', `unknown source ${JSON.stringify(s)}; one of ${SOURCES.join(', ')}`)
      const scope = input.scope ?? 'city'
      if (!deps.scopeExists(scope)) throw invalid('scope', '"city" or "district:<code>" / "street:<code>" of this city')
      const ratePerMin = input.ratePerMin ?? deps.defaultRatePerMin
      if (!Number.isInteger(ratePerMin) || ratePerMin < 1 || ratePerMin > 1_000_000) throw invalid('ratePerMin', 'an integer 1–1,000,000')
      const token = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`
      const key: ApiKey = { id: randomBytes(6).toString('hex'), name, sources: [...new Set(input.sources)], scope, ratePerMin, createdAt: new Date(deps.now()).toISOString(), createdBy: by, revokedAt: null }
      await deps.store.insertApiKey(key, keyHash(token))
      await deps.audit.record({ action: 'key.add', actor: by, target: key.id, detail: { name, sources: key.sources, scope, ratePerMin } })
      return { ...key, token }
    },
    /** The live key a token opens, or null (unknown or revoked). */
    async resolve(token: string): Promise<ApiKey | null> {
      const key = await deps.store.apiKeyByTokenHash(keyHash(token))
      return key && !key.revokedAt ? key : null
    },
    list: () => deps.store.listApiKeys(),
    async revoke(id: string, by: string): Promise<ApiKey | null> {
      const key = await deps.store.revokeApiKey(id, new Date(deps.now()).toISOString())
      if (key) {
        buckets.delete(id)
        await deps.audit.record({ action: 'key.revoke', actor: by, target: id, detail: { name: key.name } })
      }
      return key
    },
    /** Takes `count` reports' worth from the key's bucket (all or nothing: a batch is admitted or refused whole). */
    admit(key: Pick<ApiKey, 'id' | 'ratePerMin'>, count: number): { ok: true } | { ok: false, retryAfterS: number } {
      if (count > key.ratePerMin) return { ok: false, retryAfterS: 60 } // never fits: the batch must be split
      return bucketOf(key).take(key.id, count)
    },
  }
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>
