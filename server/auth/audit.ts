import type { AuthStore } from '../store/auth-records.js'

export interface AuditEvent { action: string, actor: string, target?: string | null, ip?: string | null, detail?: Record<string, unknown> | null }

/** Key use is sampled: the first use of each key in each clock hour is written, not every request. */
const KEY_USE_SAMPLE_MS = 3_600_000

/**
 * The access audit (table `access_audit`): logins and their failures, logouts, user changes, API keys made, used
 * and revoked, and the acts that have no trail of their own (display links, campaigns, greenway reloads). Case
 * actions and alarm acknowledgements keep their own trails (case_events, alarms.acked_by), written with the same
 * actor name.
 */
export function createAudit(store: AuthStore, now: () => number) {
  const keyUseLogged = new Map<string, number>()
  async function record(e: AuditEvent): Promise<void> {
    await store.insertAudit({ at: new Date(now()).toISOString(), action: e.action, actor: e.actor, target: e.target ?? null, ip: e.ip ?? null, detail: e.detail ?? null })
  }
  return {
    record,
    /** Records a key's use at most once per key per hour (counted since the previous row). */
    async keyUsed(keyId: string, keyName: string, ip: string | null, events: number): Promise<void> {
      const hour = Math.floor(now() / KEY_USE_SAMPLE_MS)
      if (keyUseLogged.get(keyId) === hour) return
      keyUseLogged.set(keyId, hour)
      await record({ action: 'key.use', actor: `key:${keyName}`, target: keyId, ip, detail: { events } })
    },
    list: (q: { action?: string, limit?: number } = {}) => store.listAudit({ action: q.action, limit: Math.min(q.limit ?? 100, 1000) }),
  }
}

export type Audit = ReturnType<typeof createAudit>
