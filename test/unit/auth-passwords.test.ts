import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from '../../server/auth/passwords.js'
import { TokenBuckets } from '../../server/auth/token-bucket.js'

const CHEAP = { N: 1024, r: 8, p: 1 }

describe('password hashing (scrypt)', () => {
  it('stores the parameters and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery', CHEAP)
    const b = await hashPassword('correct horse battery', CHEAP)
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(a).not.toBe(b) // salted
    expect(a).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
    expect(await verifyPassword('', a)).toBe(false)
  })

  it('verifies with the parameters stored in the hash, whatever the current default', async () => {
    const stronger = await hashPassword('another password', { N: 4096, r: 8, p: 1 })
    expect(await verifyPassword('another password', stronger)).toBe(true)
  })

  it('never matches a malformed hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$1024$8$1$salt', 'bcrypt$1$2$3$4$5', 'scrypt$x$8$1$c2FsdA==$aGFzaA==', 'scrypt$1024$8$1$c2FsdA==$aGFzaA==']) {
      expect(await verifyPassword('x', bad)).toBe(false)
    }
  })

  it('asks for at least 10 characters', () => {
    expect(passwordProblem('short')).toMatch(/^password: at least 10/)
    expect(passwordProblem('long enough pw')).toBeNull()
  })
})

describe('token buckets', () => {
  it('allows the capacity at once, then one per refill interval, and says how long to wait', () => {
    let t = 0
    const b = new TokenBuckets(3, 10_000, () => t)
    expect([b.take('k'), b.take('k'), b.take('k')].every(r => r.ok)).toBe(true)
    expect(b.take('k')).toEqual({ ok: false, retryAfterS: 10 })
    expect(b.take('other').ok).toBe(true) // keys are independent
    t = 4_000
    expect(b.take('k')).toEqual({ ok: false, retryAfterS: 6 })
    t = 10_000
    expect(b.take('k').ok).toBe(true)
    expect(b.waitS('k')).toBe(10)
    b.reset('k')
    expect(b.waitS('k')).toBe(0)
  })

  it('takes a batch all or nothing', () => {
    const b = new TokenBuckets(5, 1000, () => 0)
    expect(b.take('k', 4).ok).toBe(true)
    expect(b.take('k', 2)).toEqual({ ok: false, retryAfterS: 1 })
    expect(b.take('k', 1).ok).toBe(true)
  })
})
