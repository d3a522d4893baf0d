import type { Category } from '../../../shared/categories.js'
import type { Source } from '../../../shared/schemas/incident.js'
import text from './data/descriptions.json' with { type: 'json' }

/** Where a report is, in the words people use: the community's and street's names, when the geography has them. */
export interface PlaceNames { community?: string, street?: string }

export interface DescribeContext {
  /** Local hour of the report (time words: 早上, 晚上, 半夜 …). */
  localHour: number
  place?: PlaceNames
  /** A spot where the same problem keeps coming back: people say so. */
  recurring?: boolean
}

type Texts = { sees: string[], details: string[] }
const CATEGORY_TEXT = text.categories as Record<string, Texts>
const TEMPLATES = text.templates as Record<string, string[]>
const IOT = text.machine.iot_sensor as Record<string, string>
const FALLBACK: Texts = { sees: ['这里有问题'], details: ['请尽快处理'] }

function pick<T>(list: readonly T[], rng: () => number): T {
  return list[Math.floor(rng() * list.length)]!
}

const AGAIN = text.again.filter(a => a !== '')

function timeOfDay(hour: number): keyof typeof text.time {
  if (hour >= 5 && hour < 10) return 'morning'
  if (hour >= 10 && hour < 17) return 'day'
  if (hour >= 17 && hour < 23) return 'evening'
  return 'night'
}

/**
 * A report's description as a citizen or patrol would write it: what they see, where and when, rarely the
 * category's official name (the centre classifies). Sensors and video AI write their machine messages. Phrases
 * come from data/descriptions.json; every choice is drawn from `rng`, so a seed gives the same words.
 */
export function describe(category: Category, source: Source, rng: () => number, ctx: DescribeContext): string {
  if (source === 'iot_sensor') return (IOT[category.code] ?? IOT.default!).replace('{x}', (1.2 + rng() * 2).toFixed(1))
  if (source === 'video_ai') return text.machine.video_ai.replace('{label}', category.name).replace('{c}', (0.7 + rng() * 0.29).toFixed(2))
  const own = CATEGORY_TEXT[category.code] ?? FALLBACK
  const spot = `${pick(text.landmarks, rng)}${pick(text.spots, rng)}`
  const { community, street } = ctx.place ?? {}
  const r = rng()
  const place = community && r < 0.4 ? `${community}${spot}` : street && r < 0.6 ? `${street}${spot}` : community && r < 0.7 ? `${community}${pick(text.spots, rng)}` : spot
  const again = ctx.recurring ? pick(AGAIN, rng) : rng() < 0.1 ? pick(text.again, rng) : ''
  return pick(TEMPLATES[source] ?? TEMPLATES.grid_worker!, rng)
    .replace('{place}', place)
    .replace('{time}', pick(text.time[timeOfDay(ctx.localHour)], rng))
    .replace('{sees}', pick(own.sees, rng))
    .replace('{detail}', pick(own.details, rng))
    .replace('{again}', again)
    .replace('{name}', category.name)
    .trim()
}
