import type { Scope } from '../scope.js'

/**
 * A campaign (专项行动): a named, time-bounded drive over some event categories in one area (city, district or
 * street) with a target resolution rate.
 *
 * - `live` campaigns are stored (migration 11) and their progress is computed from the stored incidents.
 * - `recorded` campaigns are historic: their figures come from a published source (shipped as data), never from our
 *   store, and the source is shown with them.
 */
export type CampaignKind = 'live' | 'recorded'

interface CampaignCommon {
  id: string
  name: string
  /** English name for the English UI; the Chinese name is shown when absent. */
  nameEn?: string
  /** CJ/T 214 category codes the drive covers (a recorded campaign may name a theme instead: see `theme`). */
  categories: string[]
  scope: Scope
  /** First and last day of the drive, local dates (YYYY-MM-DD), both inclusive. */
  startDate: string
  endDate: string
  createdAt: string
}

export interface LiveCampaign extends CampaignCommon {
  kind: 'live'
  /** Target resolution rate (resolved / found), in (0, 1]. */
  targetRate: number
}

/** Where a recorded campaign's figures come from, with the words they were taken from. */
export interface CampaignSource {
  title: string
  publisher: string
  /** Publication date (YYYY-MM-DD), when the source states it. */
  published?: string
  url?: string
  /** The sentence(s) the figures are taken from, verbatim. */
  quote: string
}

export interface RecordedFigures {
  found: number
  resolved: number
  resolutionRate: number
  satisfactionRate: number | null
  /** Figures not published as such but derived from the others (shown with ≈; `notes` say how). */
  derived: ('found' | 'resolved')[]
  /** Further published figures, as label → value (e.g. petitions year on year). */
  extra: { label: string, labelEn: string, value: number, unit: 'rate' | 'count' }[]
  /** How each figure was read from the source (e.g. "found = resolved / rate: the source says 近20万"). */
  notes: string[]
  notesEn: string[]
}

export interface RecordedCampaign extends CampaignCommon {
  kind: 'recorded'
  /** What the drive targeted, in the source's words, when it is not a set of our categories. */
  theme: string
  themeEn: string
  /** null: the source publishes no target. */
  targetRate: number | null
  /** The source gives the month and the length, not the exact days: the dates shown are then approximate. */
  datesApproximate: boolean
  recorded: RecordedFigures
  /** The figures' source first, then any source of other facts (e.g. the start date). */
  sources: CampaignSource[]
}

export type Campaign = LiveCampaign | RecordedCampaign

/** What the store counts for a live campaign; the rates are derived from it in one place (progress.ts). */
export interface CampaignCounts {
  /** 发现: valid reports (not rejected, not merged) of the categories, in the area, reported within the drive. */
  found: number
  /** 解决: of those, closed by the end of the drive (or by now while it runs). */
  resolved: number
  feedbackTotal: number
  feedbackSatisfied: number
}

export interface CampaignRates {
  /** 解决率 = resolved / found */
  resolutionRate: number | null
  /** 群众满意率 = satisfied feedback / all feedback */
  satisfactionRate: number | null
}

export type CampaignFigures = CampaignCounts & CampaignRates

export type CampaignStatus = 'upcoming' | 'active' | 'ended'

export interface CampaignDays {
  total: number
  /** Days begun so far (today counts), 0 before the start, `total` after the end. */
  elapsed: number
  left: number
}

export interface CampaignBreakdownRow extends CampaignFigures { code: string, name: string }

export interface CampaignDay {
  date: string
  found: number
  resolved: number
  /** Cumulative resolution rate at the end of the day. */
  resolutionRate: number | null
}

export interface CampaignProgress {
  campaign: Campaign
  status: CampaignStatus
  days: CampaignDays
  /** `store`: counted from our incidents; `recorded`: the published figures. */
  basis: 'store' | 'recorded'
  totals: { found: number, resolved: number, resolutionRate: number | null, satisfactionRate: number | null }
  /** Resolution rate minus target (null without either). */
  vsTarget: number | null
  /** The level below the campaign's area (city → district, district → street, street → community); live only. */
  breakdown: { level: 'district' | 'street' | 'community', rows: CampaignBreakdownRow[] } | null
  /** One row per day of the drive so far (live only; empty for recorded). */
  daily: CampaignDay[]
  computedAt: string
}

/** What the store returns for a live campaign: counts by breakdown unit and local day. */
export interface CampaignFacts {
  /** Found reports (and their feedback) by unit and report day. */
  found: { key: string, day: string, found: number, feedbackTotal: number, feedbackSatisfied: number }[]
  /** Resolved reports by unit and closing day. */
  resolved: { key: string, day: string, resolved: number }[]
}
