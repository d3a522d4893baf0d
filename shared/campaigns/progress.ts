import { share } from '../kpi/catalogue.js'
import { parseScope } from '../scope.js'
import type {
  Campaign, CampaignBreakdownRow, CampaignCounts, CampaignDay, CampaignDays, CampaignFacts, CampaignProgress, CampaignRates,
  CampaignStatus, LiveCampaign, RecordedCampaign,
} from './types.js'

const DAY_MS = 86_400_000

/**
 * The one place a campaign's counts become rates (totals, breakdown rows and the daily series all come through here).
 * Resolution is the campaign's own measure (closed ÷ found, the published campaigns' 整改率); satisfaction has the
 * catalogue's satisfactionRate base (satisfied ÷ all verdicts) on the campaign's cases.
 */
export function campaignRates(c: CampaignCounts): CampaignRates {
  return {
    resolutionRate: share(c.resolved, c.found),
    satisfactionRate: share(c.feedbackSatisfied, c.feedbackTotal),
  }
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS
const dateOf = (dayNo: number) => new Date(dayNo * DAY_MS).toISOString().slice(0, 10)
/** The local date (YYYY-MM-DD) of an instant, in a city `utcOffsetMinutes` east of UTC. */
export const localDate = (ms: number, utcOffsetMinutes: number) => new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 10)

/** The drive as instants: [start of its first local day, start of the day after its last). */
export function campaignWindow(c: Pick<Campaign, 'startDate' | 'endDate'>, utcOffsetMinutes: number): { fromMs: number, toMs: number } {
  const offsetMs = utcOffsetMinutes * 60_000
  return { fromMs: dayNumber(c.startDate) * DAY_MS - offsetMs, toMs: (dayNumber(c.endDate) + 1) * DAY_MS - offsetMs }
}

export function campaignDays(c: Pick<Campaign, 'startDate' | 'endDate'>, nowMs: number, utcOffsetMinutes: number): CampaignDays {
  const total = dayNumber(c.endDate) - dayNumber(c.startDate) + 1
  const today = dayNumber(localDate(nowMs, utcOffsetMinutes))
  const elapsed = Math.min(total, Math.max(0, today - dayNumber(c.startDate) + 1))
  return { total, elapsed, left: total - elapsed }
}

export function campaignStatus(c: Pick<Campaign, 'startDate' | 'endDate'>, nowMs: number, utcOffsetMinutes: number): CampaignStatus {
  const today = localDate(nowMs, utcOffsetMinutes)
  return today < c.startDate ? 'upcoming' : today > c.endDate ? 'ended' : 'active'
}

/** The unit level a campaign's figures are broken down by: the level below its area. */
export function breakdownLevel(scope: Campaign['scope']): 'district' | 'street' | 'community' {
  const level = parseScope(scope)?.level ?? 'city'
  return level === 'city' ? 'district' : level === 'district' ? 'street' : 'community'
}

const vs = (rate: number | null, target: number | null) => rate === null || target === null ? null : rate - target
const empty = (): CampaignCounts => ({ found: 0, resolved: 0, feedbackTotal: 0, feedbackSatisfied: 0 })

/** Pure: a live campaign's progress from the store's counts. `nameOf` names the breakdown units. */
export function liveProgress(c: LiveCampaign, facts: CampaignFacts, nowMs: number, utcOffsetMinutes: number, nameOf: (code: string) => string): CampaignProgress {
  const byUnit = new Map<string, CampaignCounts>()
  const unit = (key: string) => byUnit.get(key) ?? byUnit.set(key, empty()).get(key)!
  const foundByDay = new Map<string, number>()
  const resolvedByDay = new Map<string, number>()
  const total = empty()
  for (const r of facts.found) {
    const u = unit(r.key)
    u.found += r.found
    u.feedbackTotal += r.feedbackTotal
    u.feedbackSatisfied += r.feedbackSatisfied
    foundByDay.set(r.day, (foundByDay.get(r.day) ?? 0) + r.found)
  }
  for (const r of facts.resolved) {
    unit(r.key).resolved += r.resolved
    resolvedByDay.set(r.day, (resolvedByDay.get(r.day) ?? 0) + r.resolved)
  }
  for (const u of byUnit.values()) {
    total.found += u.found
    total.resolved += u.resolved
    total.feedbackTotal += u.feedbackTotal
    total.feedbackSatisfied += u.feedbackSatisfied
  }
  const rows: CampaignBreakdownRow[] = [...byUnit].map(([code, counts]) => ({ code, name: nameOf(code), ...counts, ...campaignRates(counts) }))
    .sort((a, b) => b.found - a.found || a.code.localeCompare(b.code))
  const days = campaignDays(c, nowMs, utcOffsetMinutes)
  const daily: CampaignDay[] = []
  const cumulative = empty()
  for (let i = 0; i < days.elapsed; i++) {
    const date = dateOf(dayNumber(c.startDate) + i)
    const found = foundByDay.get(date) ?? 0
    const resolved = resolvedByDay.get(date) ?? 0
    cumulative.found += found
    cumulative.resolved += resolved
    daily.push({ date, found, resolved, resolutionRate: campaignRates(cumulative).resolutionRate })
  }
  const rates = campaignRates(total)
  return {
    campaign: c,
    status: campaignStatus(c, nowMs, utcOffsetMinutes),
    days,
    basis: 'store',
    totals: { found: total.found, resolved: total.resolved, ...rates },
    vsTarget: vs(rates.resolutionRate, c.targetRate),
    breakdown: { level: breakdownLevel(c.scope), rows },
    daily,
    computedAt: new Date(nowMs).toISOString(),
  }
}

/** A recorded campaign's progress is its published figures: nothing is computed from the store. */
export function recordedProgress(c: RecordedCampaign, nowMs: number, utcOffsetMinutes: number): CampaignProgress {
  const { found, resolved, resolutionRate, satisfactionRate } = c.recorded
  return {
    campaign: c,
    status: campaignStatus(c, nowMs, utcOffsetMinutes),
    days: campaignDays(c, nowMs, utcOffsetMinutes),
    basis: 'recorded',
    totals: { found, resolved, resolutionRate, satisfactionRate },
    vsTarget: vs(resolutionRate, c.targetRate),
    breakdown: null,
    daily: [],
    computedAt: new Date(nowMs).toISOString(),
  }
}
