import { afterEach, beforeEach } from 'vitest'
import type { Incident } from '../../shared/incident.js'
import type { IncidentInput } from '../../shared/schemas/incident.js'
import type { CaseChange, NewIncident } from '../../server/store/repository.js'
import { makeInput } from '../fixtures/incidents.js'

/** Opens a fresh, empty store for each test; every contract suite takes one of these. */
export type Open<R> = () => Promise<R & { close: () => unknown }>

export const LOC_A = { cell: '88283082a3fffff', community: '510104001001', street: '510104001', district: '510104' }
export const LOC_B = { cell: '88283082a7fffff', community: '510105001001', street: '510105001', district: '510105' }
export const CITY = { level: 'city', code: null } as const

export function rows(n: number, loc = LOC_A, patch: Partial<IncidentInput> = {}): NewIncident[] {
  return Array.from({ length: n }, () => ({ input: makeInput(patch), location: loc }))
}

/** A workflow step of `incident` from its current version (the caller names where it goes). */
export function step(incident: Pick<Incident, 'id' | 'version'>, to: CaseChange['to'], patch: Partial<CaseChange> = {}): CaseChange {
  return { id: incident.id, expectedVersion: incident.version, to, at: '2026-11-24T02:00:00.000Z', actor: 'op', action: to, ...patch }
}

/** A fresh store per test, closed after it: `const store = useStore(open)`, then `store.repo` inside tests. */
export function useStore<R>(open: Open<R>): { repo: R & { close: () => unknown } } {
  const holder = {} as { repo: R & { close: () => unknown } }
  beforeEach(async () => { holder.repo = await open() })
  afterEach(async () => { await holder.repo.close() })
  return holder
}
