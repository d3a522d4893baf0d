/** Growable string dictionary: value ↔ small integer. */
export class Dictionary {
  readonly values: string[] = []
  private readonly index = new Map<string, number>()

  constructor(initial: readonly string[] = []) {
    for (const v of initial) this.id(v)
  }

  id(value: string): number {
    let k = this.index.get(value)
    if (k === undefined) {
      k = this.values.length
      this.values.push(value)
      this.index.set(value, k)
    }
    return k
  }

  find(value: string): number {
    return this.index.get(value) ?? -1
  }

  get size(): number {
    return this.values.length
  }
}
