// The coverage model's input and the changes it hands out (server/greenway/model-input.ts builds the input).
import type { CoverageRow, FacilitySummary, FacilityType, GreenwayStatus, GreenwayTier } from '../../../shared/greenway/types.js'

export interface ModelUnit { code: string, name: string, parent: string | null }
export interface ModelCell { lon: number, lat: number, population: number, community: string }
export interface ModelSegment {
  id: string
  name: string
  tier: GreenwayTier
  status: GreenwayStatus
  coords: readonly (readonly number[])[]
  lengthKm: number
  /** The segment's km per community it runs through (pieces outside every cell count for the city only). */
  kmByCommunity: ReadonlyMap<string, number>
}
export type ModelFacility = FacilitySummary

export interface ModelInput {
  city: { code: string, name: string }
  districts: readonly ModelUnit[]
  streets: readonly ModelUnit[]
  communities: readonly ModelUnit[]
  cells: readonly ModelCell[]
  segments: readonly ModelSegment[]
  facilities: readonly ModelFacility[]
  serviceRadiusM: number
  requiredTypes: readonly FacilityType[]
}

export interface ModelChanges {
  city: CoverageRow
  districts: CoverageRow[]
  streets: CoverageRow[]
  communities: CoverageRow[]
  segments: { id: string, status: GreenwayStatus }[]
  facilities: FacilitySummary[]
}
