import type { ChildRow, AnalysisPoints } from '../../shared/analysis.js'
import { KPI_CATALOGUE, KPI_IDS, kpiName, valueOf } from '../../shared/kpi/catalogue.js'

/** A value Excel must keep as text (codes, ids): see `excelText`. */
export interface TextCell { readonly excelText: string }
export type Cell = string | number | null | undefined | TextCell

/** Byte-order mark: Excel reads a CSV as UTF-8 (and shows Chinese correctly) only with it. */
export const BOM = '\uFEFF'

/**
 * A code or id written so that Excel (and WPS) keep it as text: 12-digit codes such as 510104001001 would otherwise
 * be read as numbers and shown as 5.10104E+11 (and past 15 digits lose their last digits). Written as the formula
 * ="510104001001", whose value in Excel is exactly the text; other readers see the ="…" wrapper (docs/API.md).
 */
export const excelText = (value: string): TextCell => ({ excelText: value })

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`

function csvField(v: Cell): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object') return quote(`=${quote(v.excelText)}`)
  // text a user typed (descriptions) never runs as a formula in a spreadsheet: a leading = + - @ gets an apostrophe
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v)
  return /[",\r\n]/.test(s) ? quote(s) : s
}

/** RFC 4180 CSV with a BOM and CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return BOM + [header, ...rows].map(r => r.map(csvField).join(',')).join('\r\n') + '\r\n'
}

const pct = (x: number | null) => (x === null ? '' : (x * 100).toFixed(2))

export interface ChildColumnLabels {
  code: string, name: string, count: string, previous: string, per10k: string, perKm2: string, population: string, areaKm2: string
}

/** Every catalogue indicator as a column: its name in the UI language and its unit (rates in percent). */
function indicatorHeaders(locale: string): string[] {
  return KPI_CATALOGUE.map(k => `${kpiName(k.id, locale)}${k.unit === 'rate' ? ' %' : k.unit === 'hours' ? ' (h)' : ''}`)
}

/** The ranking table as CSV (one row per child unit), then every catalogue indicator, rates in percent, codes as text for Excel. */
export function childrenCsv(rows: readonly ChildRow[], l: ChildColumnLabels, locale: string): string {
  return toCsv(
    [l.code, l.name, l.count, l.previous, l.per10k, l.perKm2, l.population, l.areaKm2, ...indicatorHeaders(locale)],
    rows.map(r => [excelText(r.code), r.name, r.count, r.previous, r.per10k, r.perKm2, r.population, r.areaKm2,
      ...KPI_CATALOGUE.map(k => (k.unit === 'rate' ? pct(valueOf(r.indicators, k.id)) : valueOf(r.indicators, k.id)))]),
  )
}

/** The children's polygons with their figures as properties. */
export function childrenGeoJson(shapes: GeoJSON.FeatureCollection, rows: readonly ChildRow[]): GeoJSON.FeatureCollection {
  const byCode = new Map(rows.map(r => [r.code, r]))
  return {
    type: 'FeatureCollection',
    features: shapes.features.map((f) => {
      const r = byCode.get(String(f.properties?.code))
      return {
        type: 'Feature', geometry: f.geometry,
        properties: { code: f.properties?.code, name: f.properties?.name, level: f.properties?.level, population: f.properties?.population, areaKm2: f.properties?.areaKm2,
          count: r?.count ?? 0, previous: r?.previous ?? 0, per10k: r?.per10k ?? null, perKm2: r?.perKm2 ?? null,
          ...Object.fromEntries(KPI_IDS.map(id => [id, valueOf(r?.indicators, id)])) },
      }
    }),
  }
}

/** Incident points as GeoJSON (the cell level's "children"). */
export function pointsGeoJson(p: AnalysisPoints): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: p.ids.map((id, k) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon[k]!, p.lat[k]!] },
      properties: { id, reportedAt: new Date(p.t[k]!).toISOString(), severity: p.severity[k], category: p.category[k] },
    })),
  }
}

/** Saves text as a file through a temporary link (the browser's own download). */
export function download(filename: string, text: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
