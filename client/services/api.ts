import { DISPLAY_HEADER } from '../../shared/access.js'
import type { ApiError } from '../../shared/schemas/errors.js'
import { displayToken } from './socket.js'

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly body: ApiError | null, readonly retryAfterS: number | null = null) {
    super(body?.error ?? `HTTP ${status}`)
  }
}

export type Warming = NonNullable<ApiError['warming']>

/** GET a JSON resource of our API; non-2xx answers become ApiRequestError with the server's message. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json', ...(displayToken && { [DISPLAY_HEADER]: displayToken }) } })
  if (!res.ok) {
    const retry = Number(res.headers.get('retry-after'))
    throw new ApiRequestError(res.status, await res.json().catch(() => null) as ApiError | null, Number.isFinite(retry) && retry > 0 ? retry : null)
  }
  return await res.json() as T
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
