import type { Source } from '../../../shared/schemas/incident.js'

/**
 * Simulator defaults from DOMAIN.md §5 ([E] estimates where the sources give ranges):
 * Chengdu (21.19 M residents) ≈ 14,000 grid/urban-management reports a day; channel mix grid worker 55–70 %,
 * 12345 15–25 %, app 5–10 %, video AI / IoT 5–15 %; human channels peak 09–12 and 14–17 with ≈ 1 %/h overnight;
 * grid-worker patrols ×0.6 at weekends; sensors and video AI around the clock.
 */
export const REFERENCE_POPULATION = 21_190_000
export const REFERENCE_DAILY_REPORTS = 14_000

export const CHANNEL_SHARE: Record<Source, number> = {
  grid_worker: 0.62,
  hotline_12345: 0.2,
  citizen_app: 0.07,
  iot_sensor: 0.05,
  video_ai: 0.06,
}

export const WEEKEND_PATROL_FACTOR = 0.6

/** Relative reports per local hour for people-driven channels (peaks 09–12, 14–17; ≈ 1 % per hour overnight). */
const HUMAN_HOURS = [0.5, 0.5, 0.45, 0.45, 0.5, 0.7, 1.0, 1.7, 3.0, 4.2, 4.5, 4.1, 2.3, 2.5, 3.9, 4.3, 4.1, 3.1, 1.9, 1.4, 1.1, 0.9, 0.7, 0.6]
const HUMAN_TOTAL = HUMAN_HOURS.reduce((a, b) => a + b, 0)

/** Share of a channel's daily reports falling in a local hour (sums to 1 over the day). */
export function hourShare(source: Source, localHour: number): number {
  if (source === 'iot_sensor' || source === 'video_ai') return 1 / 24
  return HUMAN_HOURS[localHour]! / HUMAN_TOTAL
}

/** Expected reports per hour for a channel at a local hour and weekday (0 = Sunday), for a city of `population`. */
export function hourlyRate(source: Source, localHour: number, weekday: number, population: number): number {
  const daily = REFERENCE_DAILY_REPORTS * (population / REFERENCE_POPULATION) * CHANNEL_SHARE[source]
  const weekend = (weekday === 0 || weekday === 6) && source === 'grid_worker' ? WEEKEND_PATROL_FACTOR : 1
  return daily * hourShare(source, localHour) * weekend
}
