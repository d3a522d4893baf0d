import { randomUUID } from 'node:crypto'
import { breakdownLevel, campaignWindow, liveProgress, localDate, recordedProgress } from '../../shared/campaigns/progress.js'
import type { Campaign, CampaignProgress, LiveCampaign, RecordedCampaign } from '../../shared/campaigns/types.js'
import type { CampaignCreateInput } from '../../shared/schemas/campaign.js'
import { parseScope } from '../../shared/scope.js'
import type { CampaignRepository, CaseRepository } from '../store/repository.js'

export interface CampaignServiceDeps {
  repo: CampaignRepository & Pick<CaseRepository, 'currentSeq'>
  /** Shipped historic campaigns of this city (server/campaigns/data/recorded.json). */
  recorded: readonly RecordedCampaign[]
  utcOffsetMinutes: number
  nameOf: (code: string) => string
  now: () => number
  /** A live campaign's progress is recounted at most this often (default 30 s; 0 = whenever the store changed). */
  minRecountMs?: number
}

/** A list row: the progress without the breakdown and the daily series (GET /campaigns/:id has them). */
export type CampaignSummary = Omit<CampaignProgress, 'breakdown' | 'daily'>

export interface CampaignService {
  list: () => Promise<CampaignSummary[]>
  progress: (id: string) => Promise<CampaignProgress | null>
  /** Stores a live campaign (the input is validated, its scope known to exist). */
  create: (input: CampaignCreateInput, id?: string) => Promise<LiveCampaign | null>
}

/**
 * Campaigns (专项行动): live ones from the store, their progress counted from the stored incidents; recorded ones from
 * data, with their published figures. A live campaign's progress is recomputed only when the store has changed or
 * the day has turned, and at most every `minRecountMs` (walls ask every minute; a count scans the period's reports).
 */
export function createCampaignService(deps: CampaignServiceDeps): CampaignService {
  const { repo, utcOffsetMinutes, now } = deps
  const cache = new Map<string, { seq: number, day: string, at: number, progress: CampaignProgress }>()
  const minRecountMs = deps.minRecountMs ?? 30_000

  async function liveOf(c: LiveCampaign): Promise<CampaignProgress> {
    const nowMs = now()
    const seq = await repo.currentSeq()
    const day = localDate(nowMs, utcOffsetMinutes)
    const hit = cache.get(c.id)
    // same day and an unchanged store, or counted moments ago (a count reads every report of the period: ≈0.3–1 s
    // for 30 days of a busy city, on the event loop)
    if (hit && hit.day === day && (hit.seq === seq || nowMs - hit.at < minRecountMs)) return hit.progress
    const { fromMs, toMs } = campaignWindow(c, utcOffsetMinutes)
    const facts = await repo.campaignFacts({
      categories: c.categories, scope: parseScope(c.scope)!, fromMs, toMs: Math.min(toMs, nowMs + 1),
      resolvedBefore: new Date(Math.min(toMs, nowMs + 1)).toISOString(), by: breakdownLevel(c.scope), utcOffsetMinutes,
    })
    const progress = liveProgress(c, facts, nowMs, utcOffsetMinutes, deps.nameOf)
    cache.set(c.id, { seq, day, at: nowMs, progress })
    return progress
  }
  const progressOf = (c: Campaign) => c.kind === 'live' ? liveOf(c) : Promise.resolve(recordedProgress(c, now(), utcOffsetMinutes))
  // running first, then upcoming, then ended; the latest start first within each
  const ORDER = { active: 0, upcoming: 1, ended: 2 } as const

  return {
    async list() {
      const all = [...await repo.listCampaigns(), ...deps.recorded]
      const rows: CampaignSummary[] = []
      for (const c of all) {
        const { breakdown: _b, daily: _d, ...summary } = await progressOf(c)
        rows.push(summary)
      }
      return rows.sort((a, b) => ORDER[a.status] - ORDER[b.status] || b.campaign.startDate.localeCompare(a.campaign.startDate))
    },
    async progress(id) {
      const recorded = deps.recorded.find(c => c.id === id)
      if (recorded) return recordedProgress(recorded, now(), utcOffsetMinutes)
      const live = (await repo.listCampaigns()).find(c => c.id === id)
      return live ? liveOf(live) : null
    },
    async create(input, id = `c-${randomUUID().slice(0, 8)}`) {
      const campaign: LiveCampaign = {
        kind: 'live', id, name: input.name, ...(input.nameEn !== undefined && { nameEn: input.nameEn }), categories: input.categories,
        scope: input.scope, startDate: input.startDate, endDate: input.endDate, targetRate: input.targetRate, createdAt: new Date(now()).toISOString(),
      }
      if (deps.recorded.some(c => c.id === id)) return null
      return await repo.insertCampaign(campaign) ? campaign : null
    },
  }
}
