import type { z } from 'zod'

export interface ErrorDetail { path: string, message: string }
/** Body of every 4xx/5xx JSON answer; `warming`: a 503 of the drill-down while its history loads (retry). */
export interface ApiError { error: string, details?: ErrorDetail[], warming?: { loadedDays: number, totalDays: number } }

/** Flattens zod issues into `{ path, message }` rows naming the field (`events.3.lat`). */
export function issuesToDetails(error: z.ZodError, prefix: (string | number)[] = []): ErrorDetail[] {
  return error.issues.map(issue => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(root)',
    message: issue.message,
  }))
}
