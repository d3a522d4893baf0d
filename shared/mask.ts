/**
 * Masks a reporter's personal data for roles that do not need it: 张三丰 → 张**, 13812345678 → 138****5678.
 * Pure so the server (for scoped views) and the client use the same rule.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()]
  if (chars.length === 0) return ''
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '*'.repeat(digits.length)
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}
