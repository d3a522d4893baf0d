import { getCategory } from '../../../shared/categories.js'
import { mulberry32 } from '../../../shared/random.js'
import { type IncidentInput, SOURCES } from '../../../shared/schemas/incident.js'
import { pickSeverity, reporterFor, requestTypeFor } from './content.js'
import { describe } from './descriptions.js'
import { categoryFactor, categoryHourShare, pickCategoryAt } from './patterns.js'
import { createPlaces, type PlaceGeo } from './places.js'
import { randomPointInCell } from './point-in-cell.js'
import { hourlyRate } from './rates.js'
import { poisson, weightedPicker } from './sampling.js'
import { skyAt } from './weather.js'

/** The city as the simulator needs it; with units (names, areas) reports vary by district and name their place. */
export interface SimulatorGeo extends PlaceGeo {
  info: { population: number, utcOffsetMinutes: number }
}

const MINUTE = 60_000
/** Share of grid-worker reports that citizens also phone in to 12345 (one pile of rubbish, several reports). */
const FOLLOW_UP_SHARE = 0.03
/** Follow-up calls come within this many minutes of the first report. */
const FOLLOW_UP_MINUTES = 30
/** Who reports at a hotspot: patrols, callers, app users. */
const HOTSPOT_SOURCES = weightedPicker([['grid_worker', 0.5], ['hotline_12345', 0.35], ['citizen_app', 0.15]] as const, s => s[1])
/** The weather moves a hotspot's rate less than the city's (a flooded underpass is reported a few times, not 70). */
const HOTSPOT_SKY_CAP = 3

/**
 * Pure generator: the events due in [fromMs, toMs) of simulated time, for a seed. Each simulated minute draws its
 * own Poisson counts from a PRNG seeded by (seed, minute), so any window gives the same events however it is cut —
 * a restart, a different tick length or a bulk seed all agree.
 */
export function createGenerator(geo: SimulatorGeo, seed: number, idPrefix = `sim-${seed}`, rate = 1) {
  const places = createPlaces(geo, seed)
  const offsetMs = geo.info.utcOffsetMinutes * MINUTE

  function minuteEvents(minute: number): IncidentInput[] {
    const rng = mulberry32((seed * 2654435761) ^ minute)
    const local = new Date(minute * MINUTE + offsetMs)
    const localHour = local.getUTCHours()
    const sky = skyAt(seed, minute * MINUTE, geo.info.utcOffsetMinutes)
    const out: IncidentInput[] = []
    const followUps: { first: IncidentInput, community: string | undefined }[] = []
    for (const source of SOURCES) {
      const count = poisson(hourlyRate(source, localHour, local.getUTCDay(), geo.info.population) * rate / 60, rng)
      for (let k = 0; k < count; k++) {
        const at = minute * MINUTE + Math.floor(rng() * MINUTE)
        const category = pickCategoryAt(source, localHour, sky, rng)
        const reporter = reporterFor(source, rng)
        const id = `${idPrefix}-${minute.toString(36)}-${source}-${k}`
        const cell = places.pickCell(rng)
        const event: IncidentInput = {
          id,
          source,
          category: category.code,
          severity: pickSeverity(category, rng),
          ...randomPointInCell(cell.h3, rng),
          reportedAt: new Date(at).toISOString(),
          description: describe(category, source, rng, { localHour, place: places.names(cell.community) }),
          ...(reporter && { reporter }),
          ...(source === 'hotline_12345' && { requestType: requestTypeFor(id) }),
        }
        out.push(event)
        if (source === 'grid_worker') followUps.push({ first: event, community: cell.community })
      }
    }
    // Hotspots on their own stream: the same problem in the same cell, day after day, at its hours and weather.
    const hotRng = mulberry32((seed * 2654435761) ^ minute ^ 0x68e31da4)
    places.hotspots.forEach((h, j) => {
      const category = getCategory(h.category)!
      const skyFactor = Math.min(HOTSPOT_SKY_CAP, categoryFactor(h.category, localHour, sky) / categoryFactor(h.category, localHour, 'dry'))
      const dry = h.category === '0406' ? (sky === 'dry' ? 0.02 : 1) : 1
      const count = poisson(h.perDay * categoryHourShare(h.category, localHour) / 60 * skyFactor * dry * rate, hotRng)
      for (let k = 0; k < count; k++) {
        const source = HOTSPOT_SOURCES(hotRng)[0]
        const reporter = reporterFor(source, hotRng)
        const id = `${idPrefix}-${minute.toString(36)}-hot-${j}-${k}`
        out.push({
          id,
          source,
          category: category.code,
          severity: pickSeverity(category, hotRng),
          ...randomPointInCell(h.h3, hotRng),
          reportedAt: new Date(minute * MINUTE + Math.floor(hotRng() * MINUTE)).toISOString(),
          description: describe(category, source, hotRng, { localHour, place: places.names(h.community), recurring: true }),
          ...(reporter && { reporter }),
          ...(source === 'hotline_12345' && { requestType: requestTypeFor(id) }),
        })
      }
    })
    // A separate stream, so the reports above stay the same whatever the follow-up rules are.
    const dupRng = mulberry32((seed * 2654435761) ^ minute ^ 0x5bd1e995)
    followUps.forEach(({ first, community }, k) => {
      if (dupRng() >= FOLLOW_UP_SHARE) return
      const calls = 1 + Math.floor(dupRng() * 2)
      for (let j = 0; j < calls; j++) {
        const category = getCategory(first.category)!
        const reporter = reporterFor('hotline_12345', dupRng)
        const id = `${idPrefix}-${minute.toString(36)}-dup-${k}-${j}`
        out.push({
          id,
          requestType: requestTypeFor(id),
          source: 'hotline_12345',
          category: first.category,
          severity: first.severity,
          // callers describe the same spot: a few metres from the first report
          lon: Math.round((first.lon + (dupRng() - 0.5) * 1e-4) * 1e6) / 1e6,
          lat: Math.round((first.lat + (dupRng() - 0.5) * 1e-4) * 1e6) / 1e6,
          reportedAt: new Date(Date.parse(first.reportedAt) + (3 + dupRng() * (FOLLOW_UP_MINUTES - 3)) * MINUTE).toISOString(),
          description: describe(category, 'hotline_12345', dupRng, { localHour, place: places.names(community) }),
          ...(reporter && { reporter }),
        })
      }
    })
    return out
  }

  // Follow-ups fall into later minutes: `between` looks back far enough to find them, and recent minutes are kept
  // so the look-back costs no regeneration.
  const memo = new Map<number, IncidentInput[]>()
  function cachedMinute(m: number): IncidentInput[] {
    let events = memo.get(m)
    if (!events) {
      events = minuteEvents(m)
      memo.set(m, events)
      if (memo.size > 4 * FOLLOW_UP_MINUTES) memo.delete(memo.keys().next().value!)
    }
    return events
  }

  return {
    /** Fresh objects each call: callers may restamp them. */
    between(fromMs: number, toMs: number): IncidentInput[] {
      const out: IncidentInput[] = []
      for (let m = Math.floor(fromMs / MINUTE) - FOLLOW_UP_MINUTES; m * MINUTE < toMs; m++) {
        for (const e of cachedMinute(m)) {
          const t = Date.parse(e.reportedAt)
          if (t >= fromMs && t < toMs) out.push({ ...e })
        }
      }
      return out.sort((a, b) => a.reportedAt.localeCompare(b.reportedAt) || a.id.localeCompare(b.id))
    },
  }
}
