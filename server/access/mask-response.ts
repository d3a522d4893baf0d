import type { Principal } from '../../shared/access.js'
import { seesReporter } from '../../shared/access-check.js'
import { maskName, maskPhone } from '../../shared/mask.js'

interface Reporter { name?: unknown, phone?: unknown }

const maskedReporter = (r: Reporter) => ({
  ...(typeof r.name === 'string' && { name: maskName(r.name) }),
  ...(typeof r.phone === 'string' && { phone: maskPhone(r.phone) }),
})

/**
 * A copy of a response body with every `reporter` masked (张三丰 → 张**, 13812345678 → 138****5678) unless the
 * principal is an operator (or admin) of the scope that holds the case the reporter belongs to (issue #14, item 4).
 * Walks the whole body, so a list, a page or a case inside another object is masked alike; objects without a
 * reporter are returned as they are.
 */
export function maskReporters<T>(body: T, p: Principal): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      let changed = false
      const out = v.map((x) => {
        const y = walk(x)
        if (y !== x) changed = true
        return y
      })
      return changed ? out : v
    }
    if (v === null || typeof v !== 'object') return v
    const o = v as Record<string, unknown>
    let copy: Record<string, unknown> | null = null
    for (const [k, x] of Object.entries(o)) {
      let y = walk(x)
      if (k === 'reporter' && x !== null && typeof x === 'object') {
        const place = { district: String(o.district ?? ''), street: String(o.street ?? '') }
        if (!(o.district !== undefined && seesReporter(p, place))) y = maskedReporter(x as Reporter)
      }
      if (y !== x) (copy ??= { ...o })[k] = y
    }
    return copy ?? o
  }
  return walk(body) as T
}
