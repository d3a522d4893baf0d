/**
 * Steps keyed by case, taken in due-time order: a binary min-heap on `at` beside a map of each case's current step.
 * Rescheduling a case leaves its old heap entry behind; it is skipped when popped (it is no longer the map's entry)
 * and the heap is rebuilt when such leftovers outnumber the live entries. Taking the due steps costs O(k log n)
 * instead of filtering and sorting every pending case on every tick.
 */
export class DueQueue<T extends { id: string, at: number }> {
  private readonly current = new Map<string, T>()
  private heap: T[] = []

  get size(): number {
    return this.current.size
  }

  set(item: T): void {
    this.current.set(item.id, item)
    this.push(item)
    if (this.heap.length > 2 * this.current.size + 1024) this.rebuild()
  }

  has(id: string): boolean {
    return this.current.has(id)
  }

  delete(id: string): void {
    this.current.delete(id)
  }

  /** Up to `limit` steps due at or before `t`, earliest first, removed from the queue. */
  takeDue(t: number, limit: number): T[] {
    const out: T[] = []
    while (out.length < limit && this.heap.length > 0 && this.heap[0]!.at <= t) {
      const top = this.pop()
      if (this.current.get(top.id) !== top) continue // rescheduled or deleted since
      this.current.delete(top.id)
      out.push(top)
    }
    return out
  }

  private rebuild(): void {
    this.heap = []
    for (const item of this.current.values()) this.push(item)
  }

  private push(item: T): void {
    const h = this.heap
    h.push(item)
    let k = h.length - 1
    while (k > 0) {
      const parent = (k - 1) >> 1
      if (h[parent]!.at <= item.at) break
      h[k] = h[parent]!
      k = parent
    }
    h[k] = item
  }

  private pop(): T {
    const h = this.heap
    const top = h[0]!
    const last = h.pop()!
    if (h.length > 0) {
      let k = 0
      for (;;) {
        const l = 2 * k + 1
        if (l >= h.length) break
        const r = l + 1
        const c = r < h.length && h[r]!.at < h[l]!.at ? r : l
        if (h[c]!.at >= last.at) break
        h[k] = h[c]!
        k = c
      }
      h[k] = last
    }
    return top
  }
}
