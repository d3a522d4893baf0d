import { SOURCES } from '../../shared/enums.js'
import { runUserCli } from '../../server/cli/user.js'

/** The bench's admin password (ADMIN_PASSWORD of the bench's server processes). */
export const BENCH_ADMIN_PASSWORD = 'bench-admin-password'

interface Credentials { cookie: string, apiKey: string }
const byUrl = new Map<string, Credentials>()

/**
 * Credentials for a bench server (issue #14): a session of the first admin (for sockets) and an API key for every
 * source, city-wide, with a rate no bench reaches — so the benches measure ingest and actions with keys and sessions
 * in place, as in production.
 */
export async function provisionBenchAuth(url: string, dataDir: string): Promise<void> {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: BENCH_ADMIN_PASSWORD }) })
  if (login.status !== 200) throw new Error(`bench login failed: ${login.status} ${await login.text()}`)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  const out: string[] = []
  const code = await runUserCli(['key', 'add', 'bench', '--sources', SOURCES.join(','), '--rate', '1000000'], { DATA_DIR: dataDir }, l => out.push(l), l => out.push(l), async () => '')
  const token = /token \(shown once, stored only hashed\): (\S+)/.exec(out.join('\n'))?.[1]
  if (code !== 0 || !token) throw new Error(`bench key not made: ${out.join('\n')}`)
  byUrl.set(url, { cookie, apiKey: token })
}

/** Headers that post events as the bench's API key (none for a server without auth, e.g. a bare baseline). */
export function ingestHeaders(url: string): Record<string, string> {
  const c = byUrl.get(url)
  return c ? { authorization: `Bearer ${c.apiKey}` } : {}
}

/** The admin session cookie for sockets (undefined for a server without auth). */
export function sessionCookie(url: string): string | undefined {
  return byUrl.get(url)?.cookie
}

/** Puts the bench admin's session into a browser context (walls and consoles need a login; a bare page does not). */
export async function logInBrowser(context: { addCookies: (c: { name: string, value: string, url: string }[]) => Promise<void> }, pageUrl: string): Promise<void> {
  const origin = new URL(pageUrl).origin
  const cookie = sessionCookie(origin)
  if (!cookie) return
  const eq = cookie.indexOf('=')
  await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: origin }])
}
