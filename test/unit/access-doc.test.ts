import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ACCESS_DOC_BEGIN, ACCESS_DOC_END, accessTablesMarkdown } from '../../shared/access-doc.js'

describe('docs/SECURITY.md "Who may do what"', () => {
  it('is the access table of shared/access.ts (regenerate: print accessTablesMarkdown())', () => {
    const doc = readFileSync(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8')
    const start = doc.indexOf(ACCESS_DOC_BEGIN)
    const end = doc.indexOf(ACCESS_DOC_END)
    expect(start).toBeGreaterThan(-1)
    expect(end).toBeGreaterThan(start)
    expect(doc.slice(start + ACCESS_DOC_BEGIN.length, end).trim()).toBe(accessTablesMarkdown())
  })
})
