import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto'

// scrypt at N=2^14, r=8 (≈ 16 MB, tens of ms): a stolen table costs an attacker that per guess; a device pays it once
// per connection
const PARAMS = { N: 16384, r: 8, p: 1 }
const KEY_LEN = 32

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key))))
}

/** A random password for a device: 24 URL-safe characters (144 bits). Shown once, stored only hashed. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url')
}

/** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [tag, n, r, p, salt, hash] = stored.split('$')
  if (tag !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const key = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}
