import { createHash, randomBytes } from 'node:crypto'
import type { DisplayLink, DisplayLinkRepository } from '../store/repository.js'

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * Display links: a long random token, shown once and stored only as its SHA-256, that opens the wall read-only for
 * one scope until revoked. On revocation, every socket opened with it is disconnected (`onRevoked`).
 */
export function createDisplayLinkService(repo: DisplayLinkRepository, now: () => number, onRevoked: (id: string) => void) {
  return {
    async create(scope: string, label: string): Promise<DisplayLink & { token: string }> {
      const token = randomBytes(24).toString('base64url')
      const link: DisplayLink = { id: randomBytes(6).toString('hex'), scope, label, createdAt: new Date(now()).toISOString() }
      await repo.insertDisplayLink(link, hash(token))
      return { ...link, token }
    },
    /** The live link a token opens, or null (unknown or revoked). */
    async resolve(token: string): Promise<DisplayLink | null> {
      const link = await repo.displayLinkByTokenHash(hash(token))
      return link && !link.revokedAt ? link : null
    },
    list: () => repo.listDisplayLinks(),
    async revoke(id: string): Promise<DisplayLink | null> {
      const link = await repo.revokeDisplayLink(id, new Date(now()).toISOString())
      if (link) onRevoked(id)
      return link
    },
  }
}

export type DisplayLinkService = ReturnType<typeof createDisplayLinkService>
