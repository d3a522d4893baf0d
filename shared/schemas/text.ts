import { z } from 'zod'

/** C0 controls but tab, line feed and carriage return; DEL; lone UTF-16 surrogates (not representable in UTF-8). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Why a text is not clean, or null: a NUL or a broken surrogate would be mangled by the store or a log (issue #14). */
export function uncleanText(s: string): string | null {
  if (CONTROL.test(s)) return 'contains a control character'
  if (LONE_SURROGATE.test(s)) return 'contains broken unicode (a lone surrogate)'
  return null
}

/** A free-text field a person typed (description, names, notes, reasons, labels): at most `max` characters, clean. */
export function textSchema(max: number, min = 0) {
  return z.string().max(max).min(min).superRefine((s, ctx) => {
    const why = uncleanText(s)
    if (why) ctx.addIssue({ code: 'custom', message: why })
  })
}
