/** A greenway or facility change as stored: the validated event, in arrival order (`seq`). */
export interface StoredChange { seq: number, id: string, kind: string, body: string, atMs: number }
export interface NewChange { id: string, kind: string, target: string, body: string, atMs: number }

/**
 * Greenways and facilities: an append-only log of validated changes, replayed in order at start. Synchronous (the
 * embedded store); a networked implementation would make these async together with server/greenway/.
 */
export interface GreenwayChangeRepository {
  /** One transaction; answers which ids were new (the others were already stored: duplicates). */
  insertChanges: (rows: readonly NewChange[], receivedAt: string) => Set<string>
  /** Every stored change, oldest (lowest seq) first. */
  changes: () => StoredChange[]
}
