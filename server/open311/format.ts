import type { Response } from 'express'
import { XMLBuilder } from 'fast-xml-parser'

/** GeoReport v2 answers in the format named by the resource's extension; XML is the spec's required one. */
export type Format = 'json' | 'xml'

export type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value }

/** The spec's XML wraps each list in its plural element and each member in the singular one. */
const ITEM_TAG: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  errors: 'error',
}

const builder = new XMLBuilder({ ignoreAttributes: true, format: true, suppressEmptyNode: false, processEntities: true })

/** Plain values to the builder's tree: null → empty element, lists → <plural><singular/>…</plural>. */
function xmlTree(value: Value, key = ''): unknown {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) {
    const tag = ITEM_TAG[key]
    if (!tag) throw new Error(`open311 xml: no item element for list ${key}`)
    return { [tag]: value.map(v => xmlTree(v, tag)) }
  }
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlTree(v, k)]))
  return String(value)
}

export function toXml(root: string, value: Value): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: xmlTree(value, root) }) as string}`
}

/** Sends `value` as JSON, or as XML under `root` (the spec's root element for that resource). */
export function send(res: Response, format: Format, root: string, value: Value, status = 200): void {
  res.status(status)
  if (format === 'xml') res.type('text/xml; charset=utf-8').send(toXml(root, value))
  else res.type('application/json; charset=utf-8').send(JSON.stringify(value))
}

/** The spec's error format: `[{ code, description }]` / `<errors><error><code/><description/></error></errors>`. */
export function sendErrors(res: Response, format: Format, status: number, descriptions: string[]): void {
  send(res, format, 'errors', descriptions.map(description => ({ code: status, description })), status)
}

/** `services.json` → { name: 'services', format: 'json' }. Without an extension the spec's required XML applies. */
export function splitFormat(file: string): { name: string, format: Format } {
  const m = /^(.*)\.(json|xml)$/i.exec(file)
  return m ? { name: m[1]!, format: m[2]!.toLowerCase() as Format } : { name: file, format: 'xml' }
}
