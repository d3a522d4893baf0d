import type { ScopeAggregates } from '../../shared/aggregates.js'
import type { Incident } from '../../shared/incident.js'
import type { Scope } from '../../shared/scope.js'
import { type CaseStatus, isOpen } from '../../shared/workflow/states.js'
import type { EventBus } from '../events/bus.js'
import type { OpenCount } from '../store/repository.js'
import { bump, cloneDayCounts, emptyDayCounts } from './day-counts.js'
import { hourIndex, hourStartIso, localDay } from '../calendar/local-time.js'

interface ScopeState {
  day: string
  today: ReturnType<typeof emptyDayCounts>
  hours: Map<number, number>
  open: number
}

type Located = Pick<Incident, 'district' | 'street' | 'community'>

/** The scopes an incident counts in, each with the child unit it counts under. */
function scopesOf(i: Located): [Scope, string][] {
  return [['city', i.district], [`district:${i.district}`, i.street], [`street:${i.street}`, i.community]]
}

/**
 * In-memory live counts per scope (city, each district, each street), updated per change in O(1), so a snapshot
 * or delta never queries the database. Rebuilt from the store at start-up with `seed`.
 */
export class LiveAggregates {
  private readonly states = new Map<Scope, ScopeState>()

  constructor(private readonly utcOffsetMinutes: number, private readonly now: () => number = Date.now) {}

  private state(scope: Scope, day = localDay(this.now(), this.utcOffsetMinutes)): ScopeState {
    let s = this.states.get(scope)
    if (!s) {
      s = { day, today: emptyDayCounts(), hours: new Map(), open: 0 }
      this.states.set(scope, s)
    } else if (s.day !== day) {
      s.day = day
      s.today = emptyDayCounts()
    }
    return s
  }

  /** A newly stored incident. */
  add(i: Incident): void {
    this.addMany([i])
  }

  /** Newly stored incidents (one commit's): the clock is read once for all of them. */
  addMany(list: readonly Incident[]): void {
    const now = this.now()
    const today = localDay(now, this.utcOffsetMinutes)
    const nowHour = hourIndex(now)
    for (const i of list) this.count(i, true, today, nowHour)
  }

  /** street → its district's and its own scope keys, built once (this runs for every ingested report). */
  private readonly scopeKeys = new Map<string, [Scope, Scope]>()

  private count(i: Incident, countOpen: boolean, today: string, nowHour: number): void {
    const reportedMs = Date.parse(i.reportedAt)
    const day = localDay(reportedMs, this.utcOffsetMinutes)
    const hour = hourIndex(reportedMs)
    const inLast24h = hour > nowHour - 24 && hour <= nowHour
    const open = countOpen && isOpen(i.status)
    let keys = this.scopeKeys.get(i.street)
    if (!keys) {
      keys = [`district:${i.district}`, `street:${i.street}`]
      this.scopeKeys.set(i.street, keys)
    }
    this.countIn(this.state('city', today), i, i.district, day, hour, inLast24h, open)
    this.countIn(this.state(keys[0], today), i, i.street, day, hour, inLast24h, open)
    this.countIn(this.state(keys[1], today), i, i.community, day, hour, inLast24h, open)
  }

  private countIn(s: ScopeState, i: Incident, child: string, day: string, hour: number, inLast24h: boolean, open: boolean): void {
    if (open) s.open += 1
    if (inLast24h) s.hours.set(hour, (s.hours.get(hour) ?? 0) + 1)
    if (day !== s.day) return
    s.today.total += 1
    bump(s.today.byStatus, i.status, 1)
    bump(s.today.byCategory, i.category, 1)
    bump(s.today.bySource, i.source, 1)
    bump(s.today.bySeverity, i.severity, 1)
    bump(s.today.byUnit, child, 1)
  }

  /** A stored incident moved from one status to another (workflow). */
  statusChanged(i: Incident, from: CaseStatus): void {
    const reportedToday = (s: ScopeState) => localDay(Date.parse(i.reportedAt), this.utcOffsetMinutes) === s.day
    for (const [scope] of scopesOf(i)) {
      const s = this.state(scope)
      s.open += Number(isOpen(i.status)) - Number(isOpen(from))
      if (!reportedToday(s)) continue
      bump(s.today.byStatus, from, -1)
      bump(s.today.byStatus, i.status, 1)
    }
  }

  /** Rebuild from the store: incidents of the last ~48 h for today/last-24h, open counts over all time. */
  seed(recent: Incident[], open: OpenCount[]): void {
    this.states.clear()
    const now = this.now()
    for (const i of recent) this.count(i, false, localDay(now, this.utcOffsetMinutes), hourIndex(now))
    for (const o of open) {
      for (const scope of ['city', `district:${o.district}`, `street:${o.street}`] as const) this.state(scope).open += o.count
    }
  }

  get(scope: Scope): ScopeAggregates {
    const s = this.state(scope)
    const nowHour = hourIndex(this.now())
    const first = nowHour - 23
    for (const h of s.hours.keys()) if (h < first) s.hours.delete(h)
    const counts = Array.from({ length: 24 }, (_, k) => s.hours.get(first + k) ?? 0)
    return { day: s.day, today: cloneDayCounts(s.today), last24h: { hourStart: hourStartIso(first), counts }, open: s.open }
  }
}

/** Live counts follow every stored report and every status a case leaves. */
export function subscribeLiveAggregates(bus: Pick<EventBus, 'subscribe'>, aggregates: LiveAggregates): void {
  bus.subscribe('report.stored', 'live-aggregates', ({ incidents }) => aggregates.addMany(incidents))
  bus.subscribe('case.changed', 'live-aggregates', ({ incident, from }) => {
    if (incident.status !== from) aggregates.statusChanged(incident, from)
  })
}
