import { EVENTS, type Party, ROLES, ROUTES, type ScopeSource } from './access.js'

const PARTIES: readonly Party[] = [...ROLES, 'key', 'device', 'system', 'anonymous']

const SCOPE_WORDS: Record<ScopeSource | 'request', string> = {
  none: '—',
  city: 'city-wide: city scope only',
  query: '`scope` (left out: own)',
  drill: '`level`+`code` (left out: own unit)',
  coverage: '`level`+`parent` (left out: own)',
  incident: 'the case\'s district/street',
  alarm: 'the alarm\'s district/street',
  campaign: 'the campaign\'s area',
  body: 'body `scope`',
  events: 'each event\'s place (ingest)',
  request: 'request `scope`',
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`
const marks = (who: readonly Party[]) => PARTIES.map(p => (who.includes(p) ? '✓' : ''))

/**
 * The "Who may do what" tables of docs/SECURITY.md, rendered from the access table (test/unit/access-doc.test.ts
 * fails when the document and the table disagree). `display` is a wall: a display link or a user with that role.
 */
export function accessTablesMarkdown(): string {
  const head = [row(['Request', ...PARTIES, 'Scope from']), row(['---', ...PARTIES.map(() => ':-:'), '---'])]
  return [
    ...head,
    ...ROUTES.map(r => row([`\`${r.method} ${r.path}\`${r.personal ? ' †' : ''}`, ...marks(r.who), SCOPE_WORDS[r.scope]])),
    '',
    '† the reporter\'s name and phone are masked unless the caller is an operator or admin whose scope holds the case.',
    '',
    ...head.map(h => h.replace('Request', 'Socket.IO event')),
    ...EVENTS.map(e => row([`\`${e.event}\``, ...marks(e.who), SCOPE_WORDS[e.scope === 'request' ? 'request' : e.scope]])),
  ].join('\n')
}

export const ACCESS_DOC_BEGIN = '<!-- access-table:begin (generated from shared/access.ts; test/unit/access-doc.test.ts) -->'
export const ACCESS_DOC_END = '<!-- access-table:end -->'
