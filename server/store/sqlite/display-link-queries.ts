import type Database from 'better-sqlite3'
import type { DisplayLink, DisplayLinkRepository } from '../repository.js'

interface Row { id: string, token_hash: string, scope: string, label: string, created_at: string, revoked_at: string | null }
const toLink = (r: Row): DisplayLink => ({ id: r.id, scope: r.scope, label: r.label, createdAt: r.created_at, ...(r.revoked_at && { revokedAt: r.revoked_at }) })

/** Display links are stored by the SHA-256 of their token only (server/access/display-links.ts makes them). */
export function displayLinkQueries(db: Database.Database): DisplayLinkRepository {
  const insert = db.prepare('INSERT INTO display_links (id, token_hash, scope, label, created_at) VALUES (?, ?, ?, ?, ?)')
  const byHash = db.prepare<[string], Row>('SELECT * FROM display_links WHERE token_hash = ?')
  const all = db.prepare<[], Row>('SELECT * FROM display_links ORDER BY created_at DESC, id')
  const revoke = db.prepare('UPDATE display_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
  const byId = db.prepare<[string], Row>('SELECT * FROM display_links WHERE id = ?')
  return {
    async insertDisplayLink(link, tokenHash) {
      insert.run(link.id, tokenHash, link.scope, link.label, link.createdAt)
    },
    async displayLinkByTokenHash(tokenHash) {
      const row = byHash.get(tokenHash)
      return row ? toLink(row) : null
    },
    async listDisplayLinks() {
      return all.all().map(toLink)
    },
    async revokeDisplayLink(id, at) {
      revoke.run(at, id)
      const row = byId.get(id)
      return row ? toLink(row) : null
    },
  }
}
