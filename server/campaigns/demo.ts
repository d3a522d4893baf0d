import { localDate } from '../../shared/campaigns/progress.js'
import type { CampaignCreateInput } from '../../shared/schemas/campaign.js'
import type { CityGeo } from '../geo/city-geo.js'
import type { CampaignService } from './campaign-service.js'

export const DEMO_CAMPAIGN_ID = 'demo-street-order-30-days'
/** 露天烧烤, 店外经营, 无照经营游商, 占道废品收购: the street-occupation trades a summer drive goes after. */
export const DEMO_CAMPAIGN_CATEGORIES = ['0510', '0504', '0501', '0503']
const DEMO_DAYS = 30

/** The district whose label point is nearest the city's centre: the demo drive's area. */
export function centralDistrict(geo: Pick<CityGeo, 'districts' | 'info'>): string | null {
  const [x, y] = geo.info.center
  let best: { code: string, d: number } | null = null
  for (const u of geo.districts) {
    const d = (u.center[0] - x) ** 2 + (u.center[1] - y) ** 2
    if (!best || d < best.d) best = { code: u.code, d }
  }
  return best?.code ?? null
}

/**
 * With the simulator on, the wall should show a drive in progress: a 30-day campaign in the central district from
 * the day of the first start (stored once under a fixed id; later starts leave it alone, so it runs out after 30 days).
 */
export async function ensureDemoCampaign(campaigns: CampaignService, geo: Pick<CityGeo, 'districts' | 'info'>, nowMs: number): Promise<void> {
  if ((await campaigns.progress(DEMO_CAMPAIGN_ID)) !== null) return
  const district = centralDistrict(geo)
  if (!district) return
  const start = localDate(nowMs, geo.info.utcOffsetMinutes)
  const end = localDate(Date.parse(`${start}T00:00:00Z`) + (DEMO_DAYS - 1) * 86_400_000, 0)
  const input: CampaignCreateInput = {
    name: '占道经营与露天烧烤专项整治', nameEn: 'Street-occupation and open-air barbecue drive',
    categories: DEMO_CAMPAIGN_CATEGORIES, scope: `district:${district}`, startDate: start, endDate: end, targetRate: 0.95,
  }
  await campaigns.create(input, DEMO_CAMPAIGN_ID)
}
