import { XMLParser } from 'fast-xml-parser'
import { api } from './harness.js'

/** A GeoReport v2 client as the spec describes one: resource + .json/.xml, form-encoded POST. */
export type Fmt = 'json' | 'xml'

// elements that are list members in the spec's XML: always arrays, even when there is one
const LISTED = new Set(['service', 'request', 'attribute', 'value', 'error', 'endpoint', 'format'])
const parser = new XMLParser({ parseTagValue: false, isArray: name => LISTED.has(name) })

export interface Answer { status: number, type: string, text: string, body: unknown }

async function answer(res: Response, fmt: Fmt): Promise<Answer> {
  const text = await res.text()
  const type = res.headers.get('content-type') ?? ''
  return { status: res.status, type, text, body: fmt === 'json' ? JSON.parse(text) as unknown : parser.parse(text) as unknown }
}

export async function get(base: string, path: string, fmt: Fmt, params: Record<string, string> = {}): Promise<Answer> {
  const q = new URLSearchParams(params).toString()
  return answer(await api({ url: base }, `/open311${path}.${fmt}${q ? `?${q}` : ''}`), fmt)
}

export async function postRequest(base: string, fmt: Fmt, form: Record<string, string> | string): Promise<Answer> {
  const body = typeof form === 'string' ? form : new URLSearchParams(form).toString()
  return answer(await api({ url: base }, `/open311/v2/requests.${fmt}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }), fmt)
}

type Row = Record<string, unknown>

/** The list a JSON answer is, or the members under `<root><item>` of an XML one (missing: empty). */
export function rows(a: Answer, root: string, item: string): Row[] {
  if (Array.isArray(a.body)) return a.body as Row[]
  const r = (a.body as Record<string, Record<string, Row[]> | ''>)[root]
  return r === '' || r === undefined ? [] : r[item] ?? []
}

/** Spec errors in either format as `[code, description]` pairs (XML codes are text). */
export function errors(a: Answer): [number, string][] {
  return rows(a, 'errors', 'error').map(e => [Number(e.code), String(e.description)])
}

/** XML gives empty elements as '' and numbers as text: compare both formats on the same footing. */
export function plain(row: Row): Record<string, string | null> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null || v === '' ? null : String(v)]))
}
