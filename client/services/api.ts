import { DISPLAY_HEADER } from '../../shared/access.js'
import type { ApiError } from '../../shared/schemas/errors.js'
import { displayToken } from './socket.js'

export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly body: ApiError | null) {
    super(body?.error ?? `HTTP ${status}`)
  }
}

/** GET a JSON resource of our API; non-2xx answers become ApiRequestError with the server's message. */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json', ...(displayToken && { [DISPLAY_HEADER]: displayToken }) } })
  if (!res.ok) throw new ApiRequestError(res.status, await res.json().catch(() => null) as ApiError | null)
  return await res.json() as T
}
