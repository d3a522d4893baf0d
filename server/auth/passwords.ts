import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto'

/** scrypt cost parameters; stored with each hash so they can be raised later without invalidating old ones. */
export interface ScryptParams { N: number, r: number, p: number }

/** OWASP suggests N=2^17 at r=8; 2^15 (32 MB) cost 0.33 s a verify on the busy 2-core dev machine, enough under the login throttle. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 }
const KEY_LEN = 32
const SALT_LEN = 16

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: a fresh random salt per password. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_LEN)
  const key = await derive(password, salt, params)
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** Timing-safe comparison against a stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every(n => Number.isInteger(n) && n > 0)) return false
  const expected = Buffer.from(parts[5]!, 'base64')
  if (expected.length !== KEY_LEN) return false
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), { N, r, p })
  return timingSafeEqual(key, expected)
}

/** A password nobody has to remember right now (the first admin's, shown once): 18 random bytes, URL-safe. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url')
}

/** Password policy: long enough to resist guessing under the login throttle; nothing else is imposed. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10) return 'password: at least 10 characters'
  if (password.length > 256) return 'password: at most 256 characters'
  return null
}
