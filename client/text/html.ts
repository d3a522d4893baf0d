/**
 * The client's one way to put text into HTML (issue #14: nothing a user typed is ever rendered as HTML). Vue templates
 * and `textContent` escape by themselves; the places that hand a string of HTML to a library — ECharts' HTML tooltips
 * — build it here. ESLint forbids HTML in string literals, `innerHTML`-style sinks and `v-html` everywhere else.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;', '`': '&#96;' }

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"'`]/g, c => ENTITIES[c]!)
}

/** An ECharts tooltip from lines of plain text: each line escaped, then joined with line breaks. */
export function tooltipLines(...lines: readonly string[]): string {
  return lines.map(escapeHtml).join('<br/>')
}
