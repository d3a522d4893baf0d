import { describe, expect, it } from 'vitest'
import { classBreaks, classColour, classOf, legendRows, metricValue, NO_DATA, RAMP, shareOfLargest } from '../../client/analysis/choropleth.js'
import { BOM, childrenCsv, childrenGeoJson, excelText, pointsGeoJson, toCsv } from '../../client/analysis/export.js'
import { cellShortId, changeRatio } from '../../client/analysis/figures.js'
import { bboxOf } from '../../client/analysis/geometry.js'
import { frameWindow } from '../../client/analysis/playback.js'
import { addDays, apiParams, apiRange, detectPreset, presetRange, routeFromState, stateFromRoute } from '../../client/analysis/url-state.js'
import { categoryRingsOption, departmentOption, funnelOption, histogramOption, hourOfWeekOption, mixRingOption, trendOption } from '../../client/charts/analysis-options.js'
import type { ChildRow } from '../../shared/analysis.js'
import { indicators } from '../../shared/kpi/catalogue.js'
import { zeroCounts } from '../../shared/kpi/counts.js'

const TODAY = '2026-11-29'

describe('drill-down URL state', () => {
  it('parses a full link and writes it back unchanged', () => {
    const s = stateFromRoute({ level: 'street', code: '510106025' }, { from: '2026-11-01', to: '2026-11-07', category: '01', source: 'hotline_12345', status: 'closed', metric: 'perKm2', page: '3', sort: 'category', case: 'x-1' }, TODAY, '5101')
    expect(s).toEqual({ level: 'street', code: '510106025', from: '2026-11-01', to: '2026-11-07', filters: { category: '01', source: 'hotline_12345', status: 'closed' }, metric: 'perKm2', page: 3, sort: 'category', desc: false, caseId: 'x-1' })
    expect(routeFromState(s)).toEqual({ path: '/analysis/street/510106025', query: { from: '2026-11-01', to: '2026-11-07', category: '01', source: 'hotline_12345', status: 'closed', metric: 'perKm2', page: '3', sort: 'category', case: 'x-1' } })
  })

  it('fills defaults (last 7 days, city) and drops bad values instead of failing', () => {
    const s = stateFromRoute({}, { from: 'yesterday', category: '9', source: 'pigeon', status: 'lost', metric: 'x', page: '-4', sort: '-nope' }, TODAY, '5101')
    expect(s).toMatchObject({ level: 'city', code: '5101', from: '2026-11-23', to: TODAY, filters: {}, metric: 'per10k', page: 1, sort: 'reportedAt', desc: true })
    expect(routeFromState(s)).toEqual({ path: '/analysis/city', query: { from: '2026-11-23', to: TODAY } })
    expect(stateFromRoute({ level: 'planet', code: 'x' }, {}, TODAY, '5101').level).toBe('city')
    // dates the wrong way round are swapped
    expect(stateFromRoute({}, { from: '2026-11-10', to: '2026-11-01' }, TODAY, '5101')).toMatchObject({ from: '2026-11-01', to: '2026-11-10' })
  })

  it('knows the presets and recognises them from dates', () => {
    expect(presetRange('today', TODAY)).toEqual({ from: TODAY, to: TODAY })
    expect(presetRange('30d', TODAY)).toEqual({ from: '2026-10-31', to: TODAY })
    expect(presetRange('year', TODAY)).toEqual({ from: '2026-01-01', to: TODAY })
    expect(detectPreset('2026-11-23', TODAY, TODAY)).toBe('7d')
    expect(detectPreset('2026-11-22', TODAY, TODAY)).toBe('custom')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })

  it('turns local days into an API range that stops at the current hour', () => {
    const now = Date.parse('2026-11-29T09:20:00+08:00')
    expect(apiRange('2026-11-23', TODAY, now, 480)).toEqual({ fromMs: Date.parse('2026-11-23T00:00:00+08:00'), toMs: Date.parse('2026-11-29T10:00:00+08:00') })
    expect(apiRange('2026-11-01', '2026-11-02', now, 480).toMs).toBe(Date.parse('2026-11-03T00:00:00+08:00'))
    const p = apiParams({ level: 'district', code: '510106', filters: { category: '0102' } }, { fromMs: 0, toMs: 3_600_000 })
    expect(p.toString()).toBe('level=district&code=510106&from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T01%3A00%3A00.000Z&category=0102')
  })
})

describe('choropleth classes', () => {
  it('breaks skewed values by quantiles, rounded and increasing, ending at the maximum', () => {
    const values = [1, 2, 2, 3, 3, 4, 5, 8, 13, 400]
    const breaks = classBreaks(values)
    expect(breaks.at(-1)).toBe(400)
    expect([...breaks].sort((a, b) => a - b)).toEqual(breaks)
    expect(new Set(breaks).size).toBe(breaks.length)
    expect(classOf(1, breaks)).toBe(0)
    expect(classOf(400, breaks)).toBe(breaks.length - 1)
    expect(classOf(null, breaks)).toBe(-1)
    expect(classBreaks([null, null])).toEqual([])
    expect(classBreaks([7, 7, 7])).toEqual([7])
  })

  it('spreads the ramp over the classes there are and labels the legend', () => {
    expect(classColour(-1, [1, 2, 3, 4, 5])).toBe(NO_DATA)
    expect(classColour(0, [1, 2, 3])).toBe(RAMP[0])
    expect(classColour(2, [1, 2, 3])).toBe(RAMP[4])
    expect(legendRows([10, 20], n => String(n))).toEqual([{ colour: RAMP[0], label: '0 – 10' }, { colour: RAMP[4], label: '10 – 20' }])
    expect(legendRows([0, 5], n => String(n))[0]!.label).toBe('0')
    expect(metricValue({ count: 5, per10k: 1.5, perKm2: null }, 'perKm2')).toBeNull()
  })

  it('draws an all-zero map in the lowest colour, not the top one (regression)', () => {
    const breaks = classBreaks([0, 0, 0, 0])
    expect(breaks).toEqual([0])
    expect(classColour(classOf(0, breaks), breaks)).toBe(RAMP[0])
    expect(legendRows(breaks, String)).toEqual([{ colour: RAMP[0], label: '0' }])
    // equal positive values are still one class at the top of the ramp
    expect(classColour(classOf(7, [7]), [7])).toBe(RAMP[4])
  })

  it('shades the live map by share of the largest count; all zero is all darkest', () => {
    expect(shareOfLargest({ a: 0, b: 0 }, ['a', 'b', 'c'])).toEqual({ a: 0, b: 0, c: 0 })
    expect(shareOfLargest({ a: 5, b: 10 }, ['a', 'b', 'c'])).toEqual({ a: 0.5, b: 1, c: 0 })
  })
})

const child = (code: string, name: string, count: number): ChildRow => ({
  level: 'district', code, name, population: 10_000, areaKm2: 2, count, previous: 4, per10k: count, perKm2: count / 2, filed: 3, handled: 2,
  handledOnTime: 1, overdue: 0, closed: 1,
  // 3 filed of 4 judged, 1 on time of 2 due to handle, nothing due to close
  indicators: indicators({ ...zeroCounts(), judged: 4, filed: 3, dueToHandle: 2, handled: 2, handledOnTime: 1 }),
})

describe('export', () => {
  it('writes CSV with a BOM, CRLF and quoted fields, one row per child', () => {
    const csv = childrenCsv([child('510104', '锦江区', 8), child('510105', '青羊区, "老城"', 2)], {
      code: '编码', name: '名称', count: '事件数', previous: '上期', per10k: '每万人', perKm2: '每平方公里', population: '人口', areaKm2: '面积',
    }, 'zh-CN')
    expect(csv.startsWith(BOM)).toBe(true)
    const lines = csv.slice(1).split('\r\n')
    expect(lines).toHaveLength(4) // header, two rows, final empty
    // then every catalogue indicator in its order, named from the catalogue: rates in %, unknown ones empty
    expect(lines[0]).toContain('结案率 %,按期结案率 %,立案率 %')
    expect(lines[1]).toBe('"=""510104""",锦江区,8,4,8,4,10000,2,,,75.00,100.00,50.00,,0.00,,,0,,,0')
    expect(lines[2]).toContain('"青羊区, ""老城"""')
    expect(toCsv(['a'], [[null], [undefined], ['x\ny']])).toBe(`${BOM}a\r\n\r\n\r\n"x\ny"\r\n`)
  })

  it('writes 12-digit codes so Excel keeps them as text (not 5.10104E+11), and defuses typed formulas', () => {
    const csv = childrenCsv([child('510104001001', '草市街社区', 3)], {
      code: '编码', name: '名称', count: '事件数', previous: '上期', per10k: '每万人', perKm2: '每平方公里', population: '人口', areaKm2: '面积',
    }, 'zh-CN')
    expect(csv.startsWith(BOM)).toBe(true)
    const field = csv.slice(1).split('\r\n')[1]!.split(',')[0]!
    // RFC 4180: the quoted field unquotes to the formula ="510104001001", whose value in Excel is the text itself
    expect(field).toBe('"=""510104001001"""')
    expect(field.slice(1, -1).replaceAll('""', '"')).toBe('="510104001001"')
    expect(toCsv(['id'], [[excelText('2026120700123')]])).toBe(`${BOM}id\r\n"=""2026120700123"""\r\n`)
    expect(toCsv(['d'], [['=HYPERLINK("x")'], ['-1 件'], [-1]])).toBe(`${BOM}d\r\n"'=HYPERLINK(""x"")"\r\n'-1 件\r\n-1\r\n`)
  })

  it('puts the figures on the children polygons, and points as GeoJSON', () => {
    const shapes: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '510104', name: '锦江区' }, geometry: { type: 'Point', coordinates: [104, 30] } }] }
    expect(childrenGeoJson(shapes, [child('510104', '锦江区', 8)]).features[0]!.properties).toMatchObject({ code: '510104', count: 8, filingRate: 0.75, onTimeHandlingRate: 0.5, closureRate: null })
    const pts = pointsGeoJson({ truncated: false, ids: ['a'], lon: [104], lat: [30], t: [0], severity: ['high'], category: ['0102'] })
    expect(pts.features[0]).toMatchObject({ geometry: { coordinates: [104, 30] }, properties: { id: 'a', reportedAt: '1970-01-01T00:00:00.000Z' } })
  })
})

describe('figures and geometry', () => {
  it('computes changes, short cell ids, bounding boxes and playback windows', () => {
    expect(changeRatio(15, 10)).toBe(0.5)
    expect(changeRatio(3, 0)).toBeNull()
    expect(changeRatio(3, null)).toBeNull()
    expect(cellShortId('8940e3cccbbffff')).toBe('0e3cccbb'.slice(-7))
    expect(bboxOf({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[1, 2], [3, -1], [0, 5], [1, 2]]] } }] })).toEqual([0, -1, 3, 5])
    expect(bboxOf({ type: 'FeatureCollection', features: [] })).toBeNull()
    expect(frameWindow(['2026-11-29T00:00:00.000Z', '2026-11-29T01:00:00.000Z'], 1, 'hour')).toEqual([Date.parse('2026-11-29T01:00:00Z'), Date.parse('2026-11-29T02:00:00Z')])
  })
})

describe('drill-down chart options', () => {
  const l = { save: '保存为图片', name: 'x' }
  it('overlays 环比 and 同比 on the trend, with a save-as-image button', () => {
    const opt = trendOption({ bucket: 'day', starts: ['a', 'b'], current: [3, 4], previous: [1, 2], lastYear: [0, 5] }, s => s.toUpperCase(), { current: '本期', previous: '上期', lastYear: '去年', ...l }) as { series: { name: string, data: number[] }[], xAxis: { data: string[] }, toolbox: { feature: { saveAsImage: { title: string } } } }
    expect(opt.series.map(s => [s.name, s.data])).toEqual([['本期', [3, 4]], ['上期', [1, 2]], ['去年', [0, 5]]])
    expect(opt.xAxis.data).toEqual(['A', 'B'])
    expect(opt.toolbox.feature.saveAsImage.title).toBe('保存为图片')
    expect(trendOption({ bucket: 'day', starts: [], current: [], previous: [], lastYear: [] }, s => s, { current: '', previous: '', lastYear: '', ...l })).toBeNull()
  })

  it('nests small classes beside their big class and folds the rest into "other"', () => {
    const info = (code: string) => ({ code, bigClass: code.slice(0, 2), name: `n${code}`, bigName: `B${code.slice(0, 2)}` })
    const opt = categoryRingsOption({ '0101': 5, '0102': 9, '0103': 1, '0201': 20 }, info, { other: '其他', ...l }, 2) as { series: { data: { name: string, value: number }[] }[] }
    expect(opt.series[0]!.data.map(d => [d.name, d.value])).toEqual([['B02', 20], ['B01', 15]])
    expect(opt.series[1]!.data.map(d => [d.name, d.value])).toEqual([['n0201', 20], ['n0102', 9], ['n0101', 5], ['B01·其他', 1]])
    expect(categoryRingsOption({}, info, { other: '', ...l })).toBeNull()
  })

  it('lays out the funnel, the rings and the mix so labels fit and do not overlap (regression)', () => {
    type Pie = { label: { show?: boolean, alignTo?: string }, labelLayout: { hideOverlap: boolean } }
    const funnel = funnelOption([100, 90, 80, 70, 60], k => `s${k}`, l) as { series: { left: string, width: string, label: { position: string, formatter: (p: { name: string, value: number }) => string } }[] }
    // the funnel leaves the right of the panel to its labels (they ran off the right edge at full width)
    const f = funnel.series[0]!
    expect(f.label.position).toBe('right')
    expect(parseFloat(f.left) + parseFloat(f.width)).toBeLessThanOrEqual(60)
    expect(f.label.formatter({ name: 's4', value: 60 })).toBe('s4 60 · 60.0%')
    const info = (code: string) => ({ code, bigClass: code.slice(0, 2), name: `n${code}`, bigName: `B${code.slice(0, 2)}` })
    const rings = categoryRingsOption({ '0101': 5, '0102': 9, '0201': 20 }, info, { other: '其他', ...l }) as { series: Pie[], legend: { data: string[], formatter: (n: string) => string } }
    // big classes named in the legend with their share, not inside the small centre ring
    expect(rings.series[0]!.label).toEqual({ show: false })
    expect(rings.legend.data).toEqual(['B02', 'B01'])
    expect(rings.legend.formatter('B02')).toBe('B02 58.8%')
    expect(rings.series[1]!.labelLayout.hideOverlap).toBe(true)
    expect(rings.series[1]!.label.alignTo).toBe('edge')
    // the mix ring: each channel's share beside its name
    const mix = mixRingOption({ grid: 3, app: 1 }, k => k, l) as { legend: { formatter: (n: string) => string } }
    expect(mix.legend.formatter('grid')).toBe('{name|grid}{pct|75.0%}')
  })

  it('draws the funnel, the hour-of-week heatmap, the department rates, the mix and the histogram', () => {
    const funnel = funnelOption([100, 90, 80, 70, 60], k => `s${k}`, l) as { series: { data: { name: string, value: number }[] }[] }
    expect(funnel.series[0]!.data.map(d => d.value)).toEqual([100, 90, 80, 70, 60])
    expect(funnelOption([0, 0, 0, 0, 0], k => `${k}`, l)).toBeNull()
    const counts = new Array(168).fill(0)
    counts[24 + 9] = 7 // Tuesday 09:00
    const heat = hourOfWeekOption(counts, ['一', '二', '三', '四', '五', '六', '日'], l) as { series: { data: [number, number, number][] }[], visualMap: { max: number } }
    expect(heat.series[0]!.data).toContainEqual([9, 1, 7])
    expect(heat.visualMap.max).toBe(7)
    const dept = departmentOption([
      { department: '环卫', handled: 10, handledOnTime: 9, overdue: 0, indicators: indicators({ ...zeroCounts(), dueToHandle: 10, handled: 10, handledOnTime: 9 }) },
      { department: 'x', handled: 0, handledOnTime: 0, overdue: 0, indicators: indicators(zeroCounts()) }],
      { rate: '', handled: '', overdue: '', ...l }) as { yAxis: { data: string[] }, series: { data: { value: number }[] }[] }
    expect(dept.yAxis.data).toEqual(['环卫'])
    expect(dept.series[0]!.data[0]!.value).toBe(90)
    expect(mixRingOption({ a: 1, b: 0 }, k => k, l)).not.toBeNull()
    const hist = histogramOption([1, 2, 3], 1) as { series: { data: { itemStyle: { color: string } }[] }[] }
    expect(hist.series[0]!.data[1]!.itemStyle.color).toBe('#f5c451')
  })
})
