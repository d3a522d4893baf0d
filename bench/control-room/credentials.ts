/**
 * Where every load generator gets its credentials: one step before the run, the result handed to each process.
 *
 * The server has users and sessions (issue #14):
 * - the bench starts the server with `ADMIN_PASSWORD` (see `serverAuthEnv`), logs in as `admin` through
 *   `POST /api/v1/auth/login` and passes the session cookie to the HTTP loads and the sockets;
 * - ingest uses `Authorization: Bearer <key>` when `BENCH_API_KEY` is set (a key for the bench's sources, made with
 *   `npm run user -- key …` against the same DATA_DIR before the run), else the admin's session.
 * `BENCH_COOKIE` skips the login and uses a cookie as given.
 */
import { BENCH_ADMIN_PASSWORD } from '../lib/bench-auth.js'

export interface Credentials {
  /** Headers for every HTTP request but ingest (the session, if any). */
  headers: Record<string, string>
  /** Headers for POST /api/v1/events (an API key if given, else the session). */
  ingestHeaders: Record<string, string>
  /** Headers for the Socket.IO handshake (Node's client sends them with the WebSocket upgrade). */
  socketHeaders: Record<string, string>
  /** What was done, for the report. */
  how: string
}

const ADMIN_USER = process.env.BENCH_USER ?? 'admin'
// the same first-admin password the shared server starter provisions with (bench/lib/bench-auth.ts)
const ADMIN_PASSWORD = process.env.BENCH_PASSWORD ?? BENCH_ADMIN_PASSWORD

/** Environment for the server under test: its first admin gets a password this process knows. */
export function serverAuthEnv(): Record<string, string> {
  return { ADMIN_PASSWORD }
}

const none = (how: string, apiKey?: string): Credentials => ({
  headers: {}, socketHeaders: {}, how,
  ingestHeaders: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
})

/** The session cookie (name=value pairs only) from a login answer. */
function cookieOf(res: Response): string {
  return res.headers.getSetCookie().map(c => c.split(';')[0]!).join('; ')
}

/** Logs in once (if the server has logins) and returns what each load sends. */
export async function obtainCredentials(url: string): Promise<Credentials> {
  const apiKey = process.env.BENCH_API_KEY
  const given = process.env.BENCH_COOKIE
  const session = (cookie: string, how: string): Credentials => ({
    headers: { cookie }, socketHeaders: { cookie }, how,
    ingestHeaders: apiKey ? { authorization: `Bearer ${apiKey}` } : { cookie },
  })
  if (given) return session(given, 'BENCH_COOKIE as given')
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }), signal: AbortSignal.timeout(30_000),
  })
  await res.arrayBuffer()
  // no such route: a server without logins (everything anonymous, as before issue #14)
  if (res.status === 404 || res.status === 405) return none(`no login route (HTTP ${res.status}): anonymous${apiKey ? ', ingest with BENCH_API_KEY' : ''}`, apiKey)
  if (!res.ok) throw new Error(`bench login as ${ADMIN_USER} failed: HTTP ${res.status} (set BENCH_USER/BENCH_PASSWORD or BENCH_COOKIE)`)
  const cookie = cookieOf(res)
  if (!cookie) throw new Error('bench login answered without a session cookie')
  return session(cookie, `logged in as ${ADMIN_USER}${apiKey ? ', ingest with BENCH_API_KEY' : ''}`)
}
