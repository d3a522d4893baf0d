import { CATEGORIES, type Category } from '../../../shared/categories.js'
import type { Source } from '../../../shared/schemas/incident.js'
import { MACHINE_CATEGORIES } from './content.js'
import { hourShare } from './rates.js'
import { weightedPicker } from './sampling.js'
import type { Sky } from './weather.js'

/**
 * When each kind of problem is reported. Most categories follow the channels' daily curve; a few have their own hours
 * (露天烧烤 in the evening, 施工扰民 at night, 油烟 at meal times) and some follow the weather (道路积水 in and after
 * rain, no barbecues in a downpour). Hour profiles are normalised so a category's daily share is unchanged; weather
 * factors are not (a rainy day brings more 积水 reports).
 */
const RAW_HOUR_PROFILES: Record<string, readonly number[]> = {
  // 露天烧烤: stalls open at dusk, busiest 19–23, some past midnight
  '0510': [2, 1, 0.5, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.15, 0.15, 0.1, 0.1, 0.2, 0.6, 2.5, 5, 6, 6, 5, 3.5],
  // 施工扰民: work past 22:00 and before 06:00 is what people call about
  '0301': [8, 8, 7, 6, 6, 6, 4, 1, 0.3, 0.2, 0.2, 0.2, 0.8, 0.4, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.5, 6, 8],
  // 商业噪音: evenings and nights
  '0508': [1.5, 0.8, 0.3, 0.2, 0.2, 0.2, 0.3, 0.6, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.2, 1.8, 2.5, 3, 3, 2.5, 2],
  // 油烟污染: meal times
  '0116': [0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 0.6, 0.5, 0.5, 1, 2.5, 3, 1.5, 0.6, 0.5, 0.8, 2, 3, 2.5, 1.2, 0.8, 0.5, 0.3],
  // 无照经营游商: the morning market and the evening market
  '0501': [0.3, 0.2, 0.1, 0.1, 0.1, 0.3, 1.2, 1.8, 1.5, 1, 0.8, 0.8, 0.8, 0.7, 0.7, 0.8, 1, 1.5, 2, 2, 1.6, 1, 0.6, 0.4],
}

/** How the sky changes a category's rate (missing: 1). */
const SKY_FACTORS: Record<string, Partial<Record<Sky, number>>> = {
  '0406': { dry: 0.03, rain: 30, heavy: 70, after: 12 }, // 道路积水
  '0404': { rain: 2.5, heavy: 4, after: 2 }, // 下水道堵塞或破损
  '0401': { heavy: 3, after: 1.5 }, // 路面塌陷
  '0111': { heavy: 2 }, // 河堤破损
  '0510': { rain: 0.25, heavy: 0.1 }, // nobody grills in the rain
  '0511': { rain: 0.2, heavy: 0.1 }, // nor hangs out washing
}

const HUMAN_VOLUME = Array.from({ length: 24 }, (_, h) => hourShare('grid_worker', h))

/** A category's relative rate at a local hour, normalised over the human channels' day (mean 1 per report). */
export const HOUR_FACTORS: Record<string, readonly number[]> = Object.fromEntries(Object.entries(RAW_HOUR_PROFILES).map(([code, raw]) => {
  const mean = raw.reduce((a, x, h) => a + x * HUMAN_VOLUME[h]!, 0)
  return [code, raw.map(x => x / mean)]
}))

export function categoryFactor(code: string, localHour: number, sky: Sky): number {
  return (HOUR_FACTORS[code]?.[localHour] ?? 1) * (SKY_FACTORS[code]?.[sky] ?? 1)
}

/** Share of a category's reports at each local hour, from the channels' curve and its own profile (sums to 1). */
export function categoryHourShare(code: string, localHour: number): number {
  return HUMAN_VOLUME[localHour]! * (HOUR_FACTORS[code]?.[localHour] ?? 1)
}

type Picker = (rng: () => number) => Category
const pickers = new Map<string, Picker>()

/** Picks a category for a report of a channel at a local hour under a sky; pickers are built once per combination. */
export function pickCategoryAt(source: Source, localHour: number, sky: Sky, rng: () => number): Category {
  const machine = MACHINE_CATEGORIES[source]
  const key = `${machine ? source : 'human'}:${localHour}:${sky}`
  let picker = pickers.get(key)
  if (!picker) {
    const items = machine
      ? Object.entries(machine).map(([code, w]) => ({ category: CATEGORIES.find(c => c.code === code)!, w }))
      : CATEGORIES.map(c => ({ category: c, w: c.simWeight }))
    const p = weightedPicker(items, i => i.w * categoryFactor(i.category.code, localHour, sky))
    picker = r => p(r).category
    pickers.set(key, picker)
  }
  return picker(rng)
}
