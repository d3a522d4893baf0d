import type { ParsedScope } from '../../../shared/scope.js'

/** A scope as a WHERE clause on the incidents (or alarms) table's district/street columns. */
export function scopeClause(scope: ParsedScope): { where: string, params: string[] } {
  if (scope.level === 'city') return { where: '1 = 1', params: [] }
  return { where: `${scope.level} = ?`, params: [scope.code!] }
}

/** The same clause with a named parameter `@code`, for statements that bind an object. */
export function namedScopeClause(scope: ParsedScope): { where: string, params: { code?: string } } {
  if (scope.level === 'city') return { where: '1 = 1', params: {} }
  return { where: `${scope.level} = @code`, params: { code: scope.code! } }
}
