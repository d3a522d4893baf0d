import type { ScopeDelta, ScopeSnapshot } from '../../shared/events.js'
import { type Incident, toSummary } from '../../shared/incident.js'
import { type ParsedScope, parseScope, type Scope } from '../../shared/scope.js'
import type { LiveAggregates } from '../live-counts/live-aggregates.js'

export const SNAPSHOT_RECENT = 200
const SHARE_CATCH_UP_MS = 1000

/** The two reads a feed makes (the incident store answers them; realtime/ never imports the store itself). */
export interface ScopeReads {
  /** Incidents in scope whose latest change has seq > `afterSeq`, oldest change first, at most `limit`. */
  changedSince: (afterSeq: number, scope: ParsedScope, limit: number) => Promise<Incident[]>
  /** Latest incidents in scope by report time, newest first. */
  recent: (scope: ParsedScope, limit: number) => Promise<Incident[]>
}

/** Builds what a client of one scope needs: a full snapshot, or the changes after a sequence number. */
export class ScopeFeed {
  /** Sequence number of the latest change applied to the live aggregates. */
  appliedSeq = 0

  constructor(private readonly reads: ScopeReads, private readonly aggregates: LiveAggregates) {}

  async snapshot(scope: Scope): Promise<ScopeSnapshot> {
    const seq = this.appliedSeq
    const recent = await this.reads.recent(parseScope(scope)!, SNAPSHOT_RECENT)
    return { scope, seq, aggregates: this.aggregates.get(scope), recent: recent.map(toSummary) }
  }

  /**
   * Every change in scope after `afterSeq`. After an overflow every subscriber of a scope resyncs from the same seq
   * at once (docs/ARCHITECTURE.md): while nothing new was applied, they share one read instead of one each.
   */
  changesAfter(scope: Scope, afterSeq: number, limit: number): Promise<ScopeDelta> {
    const key = `${scope}|${afterSeq}|${limit}`
    const last = this.lastCatchUp.get(scope)
    if (last && last.key === key && last.appliedSeq === this.appliedSeq) return last.delta
    const delta = this.readChangesAfter(scope, afterSeq, limit)
    this.lastCatchUp.set(scope, { key, appliedSeq: this.appliedSeq, delta })
    const forget = () => { if (this.lastCatchUp.get(scope)?.delta === delta) this.lastCatchUp.delete(scope) }
    delta.catch(forget)
    setTimeout(forget, SHARE_CATCH_UP_MS).unref() // a burst of resyncs shares it; it is not kept beyond
    return delta
  }

  private readonly lastCatchUp = new Map<Scope, { key: string, appliedSeq: number, delta: Promise<ScopeDelta> }>()

  private async readChangesAfter(scope: Scope, afterSeq: number, limit: number): Promise<ScopeDelta> {
    const toSeq = this.appliedSeq
    const changed = await this.reads.changedSince(afterSeq, parseScope(scope)!, limit)
    return { scope, fromSeq: afterSeq + 1, toSeq, incidents: changed.map(toSummary), aggregates: this.aggregates.get(scope) }
  }
}
