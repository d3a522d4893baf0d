import { z } from 'zod'
import { isKnownCategory } from '../categories.js'
import { parseScope, type Scope } from '../scope.js'
import { textSchema } from './text.js'

/** A real calendar date: 2026-02-30 is refused, not rolled over into March. */
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(d => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date')

/** Longest drive accepted: a multi-year "campaign" is a programme, and its daily series would be unreadable. */
export const MAX_CAMPAIGN_DAYS = 366

/**
 * Body of `POST /api/v1/campaigns` (a live campaign). Whether the scope's unit exists in this city is checked by the
 * server (it knows the geography); everything else is checked here.
 */
export const campaignCreateSchema = z.object({
  name: textSchema(60).pipe(z.string().trim().min(1)),
  nameEn: z.string().trim().min(1).max(120).optional(),
  categories: z.array(z.string().refine(isKnownCategory, 'unknown category code (CJ/T 214, shared/data/categories.json)'))
    .min(1).max(30)
    .refine(a => new Set(a).size === a.length, 'a category is listed twice'),
  scope: z.string().refine(s => parseScope(s) !== null, 'expected "city", "district:<code>" or "street:<code>"').transform(s => s as Scope),
  startDate: localDate,
  endDate: localDate,
  targetRate: z.number().gt(0, 'target must be above 0').lte(1, 'target must be at most 1 (a share, e.g. 0.95)'),
}).strict().superRefine((c, ctx) => {
  const start = Date.parse(`${c.startDate}T00:00:00Z`)
  const end = Date.parse(`${c.endDate}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end)) return
  if (end <= start) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'endDate: must be after startDate' })
  else if ((end - start) / 86_400_000 + 1 > MAX_CAMPAIGN_DAYS) ctx.addIssue({ code: 'custom', path: ['endDate'], message: `endDate: a campaign lasts at most ${MAX_CAMPAIGN_DAYS} days` })
})
export type CampaignCreateInput = z.infer<typeof campaignCreateSchema>
