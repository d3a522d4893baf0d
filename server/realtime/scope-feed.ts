import type { ScopeDelta, ScopeSnapshot } from '../../shared/events.js'
import { toSummary } from '../../shared/incident.js'
import { parseScope, type Scope } from '../../shared/scope.js'
import type { LiveAggregates } from '../aggregate/live-aggregates.js'
import type { IncidentRepository } from '../store/repository.js'

export const SNAPSHOT_RECENT = 200

/** Builds what a client of one scope needs: a full snapshot, or the changes after a sequence number. */
export class ScopeFeed {
  /** Sequence number of the latest change applied to the live aggregates. */
  appliedSeq = 0

  constructor(private readonly repo: IncidentRepository, private readonly aggregates: LiveAggregates) {}

  async snapshot(scope: Scope): Promise<ScopeSnapshot> {
    const seq = this.appliedSeq
    const recent = await this.repo.recent(parseScope(scope)!, SNAPSHOT_RECENT)
    return { scope, seq, aggregates: this.aggregates.get(scope), recent: recent.map(toSummary) }
  }

  async changesAfter(scope: Scope, afterSeq: number, limit: number): Promise<ScopeDelta> {
    const toSeq = this.appliedSeq
    const changed = await this.repo.changedSince(afterSeq, parseScope(scope)!, limit)
    return { scope, fromSeq: afterSeq + 1, toSeq, incidents: changed.map(toSummary), aggregates: this.aggregates.get(scope) }
  }
}
