/**
 * Script, SVG and template payloads (issue #14 item 8): each calls `alert(N)` with its own N if it ever runs, so a
 * dialog names the payload that got through. Templates × variants (case, quoting, context breaks, a Chinese prefix).
 */
const TEMPLATES: readonly string[] = [
  '<img src=x onerror=alert(N)>',
  '<svg onload=alert(N)>',
  '<svg><script>alert(N)</script></svg>',
  '<script>alert(N)</script>',
  '"><img src=x onerror=alert(N)>',
  '\'><svg/onload=alert(N)>',
  '<iframe src="javascript:alert(N)"></iframe>',
  '<a href="javascript:alert(N)">点我</a>',
  'javascript:alert(N)',
  '<body onload=alert(N)>',
  '<details open ontoggle=alert(N)>',
  '<input autofocus onfocus=alert(N)>',
  '<video><source onerror=alert(N)></video>',
  '<object data="javascript:alert(N)"></object>',
  '<embed src="javascript:alert(N)">',
  '<svg><animate onbegin=alert(N) attributeName=x dur=1s>',
  '<marquee onstart=alert(N)>',
  '<form><button formaction=javascript:alert(N)>x</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(N)>',
  '</textarea><script>alert(N)</script>',
  '</title><script>alert(N)</script>',
  '<!--<img src="--><img src=x onerror=alert(N)//">',
  '<scr<script>ipt>alert(N)</script>',
  '<img src="x" onerror="&#97;lert(N)">',
  '<style>@import "javascript:alert(N)"</style>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(N)">',
  '{{constructor.constructor(\'alert(N)\')()}}',
  '{{$on.constructor(\'alert(N)\')()}}',
  '${alert(N)}',
  '{b|<img src=x onerror=alert(N)>}',
  '{@[alert(N)]}',
  '&lt;img src=x onerror=alert(N)&gt;',
  '%3Cscript%3Ealert(N)%3C/script%3E',
  '<svg><foreignObject><iframe srcdoc="<script>alert(N)</script>">',
  '<a href="data:text/html,<script>alert(N)</script>">x</a>',
]

const VARIANTS: readonly ((p: string) => string)[] = [
  p => p,
  p => p.replace(/<(\/?)([a-z]+)/g, (_m, slash: string, tag: string) => `<${slash}${tag.toUpperCase()}`),
  p => `垃圾堆放${p}`,
  p => `"${p}"`,
  p => p.replace(/ /g, '\t'),
  p => `${p}\n第二行`,
]

/** ≥ 200 payloads, numbered from 1 (the number is what `alert` would show). */
export function xssPayloads(): string[] {
  const out: string[] = []
  for (const variant of VARIANTS) {
    for (const t of TEMPLATES) out.push(variant(t).replaceAll('lert(N)', `lert(${out.length + 1})`))
  }
  return out
}
