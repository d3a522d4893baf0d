/**
 * The figures the demo data give under the server's default coverage settings (1,000 m service radius, all five
 * facility types required): km per tier and status, facilities per type, coverage per district. Printed by
 * `npm run greenway:build` and copied into docs/DATA.md, so the documented figures are the computed ones.
 */
import { CoverageModel } from '../../../greenway/coverage/coverage-model.js'
import { summariseNetwork } from '../../../../shared/greenway/coverage.js'
import { FACILITY_TYPES, GREENWAY_TIERS, type CoverageRow, type NetworkSummary } from '../../../../shared/greenway/types.js'
import type { CityGeo } from '../../city-geo.js'
import { checkFacilities, checkNetwork } from '../../../greenway/data-files.js'
import { cityLocator, cityModelBase } from '../../../greenway/model-input.js'

export interface DemoFigures { summary: NetworkSummary, city: CoverageRow, districts: CoverageRow[] }

export function demoFigures(geo: CityGeo, files: Record<string, string>, serviceRadiusM = 1000): DemoFigures {
  const locator = cityLocator(geo)
  const network = checkNetwork(JSON.parse(files['greenways.geojson']!), locator)
  const facilities = checkFacilities(JSON.parse(files['facilities.geojson']!), locator)
  if (!network.ok) throw new Error(network.error)
  if (!facilities.ok) throw new Error(facilities.error)
  const model = new CoverageModel({ ...cityModelBase(geo), segments: network.data, facilities: facilities.data, serviceRadiusM, requiredTypes: FACILITY_TYPES })
  return { summary: summariseNetwork(network.data, facilities.data), city: model.cityRow(), districts: model.rows('district') }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`

/** Markdown tables, as pasted into docs/DATA.md. */
export function figuresMarkdown(f: DemoFigures): string[] {
  const out = ['| tier | built km | under construction | planned | total |', '|---|---:|---:|---:|---:|']
  for (const t of GREENWAY_TIERS) {
    const k = f.summary.km[t]
    out.push(`| ${t} | ${k.built.toFixed(0)} | ${k.under_construction.toFixed(0)} | ${k.planned.toFixed(0)} | ${(k.built + k.under_construction + k.planned).toFixed(0)} |`)
  }
  out.push('', '| facility type | count |', '|---|---:|', ...FACILITY_TYPES.map(t => `| ${t} | ${f.summary.facilities[t]} |`))
  out.push('', '| district | residents | ≤ 500 m greenway | ≤ 1,000 m | built km | 15-min circle (all 5) | station | clinic | school | park | elderly |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of [f.city, ...f.districts]) {
    out.push(`| ${r.name} | ${r.population.toLocaleString('en')} | ${pct(r.greenway500)} | ${pct(r.greenway1000)} | ${r.builtKm.toFixed(0)} | ${pct(r.serviceAll)} | ${FACILITY_TYPES.map(t => pct(r.service[t])).join(' | ')} |`)
  }
  return out
}
