import type { CampaignFacts, LiveCampaign } from '../../../shared/campaigns/types.js'
import type { ParsedScope } from '../../../shared/scope.js'

/** A live campaign's counts: its categories in its area, reported in [fromMs, toMs), by unit (`by`) and local day. */
export interface CampaignFactsQuery {
  categories: readonly string[]
  scope: ParsedScope
  fromMs: number
  toMs: number
  /** Resolved = closed before this instant (ISO): the end of the drive, or now while it runs. */
  resolvedBefore: string
  by: 'district' | 'street' | 'community'
  utcOffsetMinutes: number
}

/** Campaigns (专项行动, issue #11). */
export interface CampaignRepository {
  /** Stores a live campaign; false if its id exists. */
  insertCampaign: (campaign: LiveCampaign) => Promise<boolean>
  /** Stored live campaigns, latest start first. */
  listCampaigns: () => Promise<LiveCampaign[]>
  campaignFacts: (q: CampaignFactsQuery) => Promise<CampaignFacts>
}
