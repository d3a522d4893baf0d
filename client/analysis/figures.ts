/** Relative change from `before` to `now` (0.25 = +25 %), null without a base. */
export function changeRatio(now: number, before: number | null): number | null {
  return before === null || before === 0 ? null : (now - before) / before
}

/** A short name for an H3 grid cell: its last significant hex digits (cells of one community share the prefix). */
export function cellShortId(h3: string): string {
  return h3.replace(/f+$/, '').slice(-7)
}
