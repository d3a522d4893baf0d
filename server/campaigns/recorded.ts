import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { RecordedCampaign } from '../../shared/campaigns/types.js'
import { parseScope, type Scope } from '../../shared/scope.js'

/** The shipped historic campaigns (data, edited without a release of code). */
export const RECORDED_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'recorded.json')

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const rate = z.number().min(-1).max(1)
const entry = z.object({
  city: z.string().min(1),
  kind: z.literal('recorded'),
  id: z.string().regex(/^[a-z0-9-]{3,80}$/),
  name: z.string().min(1),
  nameEn: z.string().min(1).optional(),
  theme: z.string().min(1),
  themeEn: z.string().min(1),
  categories: z.array(z.string()),
  scope: z.string().refine(s => parseScope(s) !== null).transform(s => s as Scope),
  startDate: date,
  endDate: date,
  datesApproximate: z.boolean(),
  targetRate: z.number().gt(0).lte(1).nullable(),
  createdAt: z.iso.datetime(),
  recorded: z.object({
    found: z.number().int().nonnegative(),
    resolved: z.number().int().nonnegative(),
    resolutionRate: rate,
    satisfactionRate: rate.nullable(),
    derived: z.array(z.enum(['found', 'resolved'])),
    extra: z.array(z.object({ label: z.string(), labelEn: z.string(), value: z.number(), unit: z.enum(['rate', 'count']) })),
    notes: z.array(z.string()),
    notesEn: z.array(z.string()),
  }).strict(),
  sources: z.array(z.object({ title: z.string().min(1), publisher: z.string().min(1), published: date.optional(), url: z.url().optional(), quote: z.string().min(1) }).strict()).min(1),
}).strict().refine(c => c.endDate >= c.startDate, { path: ['endDate'], message: 'endDate before startDate' })
  .refine(c => c.recorded.resolved <= c.recorded.found, { path: ['recorded', 'resolved'], message: 'more resolved than found' })
const file = z.object({ about: z.string().optional(), campaigns: z.array(entry) }).strict()

/**
 * The recorded campaigns of one city. A malformed file stops the start with the field named: a wall must never show
 * a historic figure that was mistyped into the data.
 */
export function loadRecordedCampaigns(cityId: string, fileName = RECORDED_FILE): RecordedCampaign[] {
  const parsed = file.safeParse(JSON.parse(readFileSync(fileName, 'utf8')))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new Error(`${fileName}: ${issue.path.join('.')}: ${issue.message}`)
  }
  return parsed.data.campaigns.filter(c => c.city === cityId).map(({ city: _city, ...c }) => c)
}
