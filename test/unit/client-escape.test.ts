import { describe, expect, it } from 'vitest'
import type { DepartmentRow } from '../../shared/analysis.js'
import type { KpiIndicator } from '../../shared/kpi/catalogue.js'
import { departmentOption } from '../../client/charts/analysis-options.js'
import { escapeHtml, tooltipLines } from '../../client/text/html.js'

describe('escaping by construction (issue #14)', () => {
  it('escapes every character that could open markup, an attribute or a template', () => {
    expect(escapeHtml('<img src=x onerror="alert(1)">&\'`')).toBe('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;&#96;')
    expect(escapeHtml(null)).toBe('')
    expect(tooltipLines('<b>a</b>', 'b & c')).toBe('&lt;b&gt;a&lt;/b&gt;<br/>b &amp; c')
  })

  it('builds the department tooltip (the stored XSS of issue #14) from escaped text', () => {
    const dept = '<img src=x onerror=alert(1)>'
    const row: DepartmentRow = { department: dept, handled: 3, handledOnTime: 3, overdue: 0, indicators: [{ id: 'onTimeHandlingRate', value: 1 } as KpiIndicator] }
    const option = departmentOption([row], { rate: '按期处置率', handled: '已处置', overdue: '超期', save: '保存', name: 'departments' })!
    const formatter = (option.tooltip as { formatter: (p: { dataIndex: number }[]) => string }).formatter
    const html = formatter([{ dataIndex: 0 }])
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })
})
