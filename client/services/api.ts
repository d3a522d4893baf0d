import { DISPLAY_HEADER } from '../../shared/access.js'
import type { ApiError } from '../../shared/schemas/errors.js'
import { displayToken } from './socket.js'

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly body: ApiError | null, readonly retryAfterS: number | null = null) {
    super(body?.error ?? `HTTP ${status}`)
  }
}

export type Warming = NonNullable<ApiError['warming']>

/**
 * What happens when the API answers 401 (the session expired or was revoked): set by the router, which sends the
 * browser to the login page and back afterwards. A wall opened through a display link never logs in.
 */
let onUnauthorized: () => void = () => {}
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler
}

async function answer<T>(res: Response, quiet401: boolean): Promise<T> {
  if (!res.ok) {
    if (res.status === 401 && !quiet401 && !displayToken) onUnauthorized()
    const retry = Number(res.headers.get('retry-after'))
    throw new ApiRequestError(res.status, await res.json().catch(() => null) as ApiError | null, Number.isFinite(retry) && retry > 0 ? retry : null)
  }
  return res.status === 204 ? undefined as T : await res.json() as T
}

/**
 * How long to wait before asking again after a refusal the server expects to pass: 503 (analytics are shed first
 * while it is busy, e.g. in the seconds after a start) or 429, with its Retry-After. Null for any other failure.
 */
export function retryAfterMs(err: unknown): number | null {
  return err instanceof ApiRequestError && (err.status === 503 || err.status === 429) ? (err.retryAfterS ?? 2) * 1000 : null
}

/** GET a JSON resource of our API; non-2xx answers become ApiRequestError with the server's message. */
export async function getJson<T>(path: string, opts: { quiet401?: boolean } = {}): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json', ...(displayToken && { [DISPLAY_HEADER]: displayToken }) } })
  return answer<T>(res, opts.quiet401 === true)
}

/** POST JSON (login, logout); a 401 here is the caller's to explain, not a reason to leave the page. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return answer<T>(res, true)
}

/**
 * `getJson` for the drill-down: while its history is still loading after a start, the server answers 503 with the
 * progress and Retry-After; this reports the progress (null once answered) and asks again, as long as `wanted()`.
 */
export async function getJsonWhenLoaded<T>(path: string, onWarming: (w: Warming | null) => void, wanted: () => boolean): Promise<T> {
  for (;;) {
    try {
      const value = await getJson<T>(path)
      onWarming(null)
      return value
    } catch (err) {
      if (!(err instanceof ApiRequestError) || err.status !== 503 || !err.body?.warming || !wanted()) throw err
      onWarming(err.body.warming)
      await new Promise(resolve => setTimeout(resolve, (err.retryAfterS ?? 2) * 1000))
    }
  }
}
