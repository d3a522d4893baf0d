import { describe, expect, it } from 'vitest'
import type { DisplayLinkRepository } from '../../server/store/repository.js'
import { type Open, useStore } from './support.js'

const link = (id: string, createdAt: string) => ({ id, scope: 'district:510104', label: `墙 ${id}`, createdAt })

/** Read-only wall links, found by the hash of their token only. */
export function describeDisplayLinkContract(name: string, open: Open<DisplayLinkRepository>): void {
  describe(`DisplayLinkRepository contract: ${name}`, () => {
    const store = useStore(open)

    it('finds a link by its token hash, null for an unknown one; lists newest first', async () => {
      const repo = store.repo
      await repo.insertDisplayLink(link('l1', '2026-11-24T01:00:00.000Z'), 'hash-1')
      await repo.insertDisplayLink(link('l2', '2026-11-24T02:00:00.000Z'), 'hash-2')
      expect(await repo.displayLinkByTokenHash('hash-1')).toEqual(link('l1', '2026-11-24T01:00:00.000Z'))
      expect(await repo.displayLinkByTokenHash('unknown')).toBeNull()
      expect((await repo.listDisplayLinks()).map(l => l.id)).toEqual(['l2', 'l1'])
    })

    it('revokes once (the first time stays), still finds the revoked link, and answers null for an unknown id', async () => {
      const repo = store.repo
      await repo.insertDisplayLink(link('l1', '2026-11-24T01:00:00.000Z'), 'hash-1')
      expect(await repo.revokeDisplayLink('l1', '2026-11-24T03:00:00.000Z')).toMatchObject({ id: 'l1', revokedAt: '2026-11-24T03:00:00.000Z' })
      expect(await repo.revokeDisplayLink('l1', '2026-11-24T04:00:00.000Z')).toMatchObject({ revokedAt: '2026-11-24T03:00:00.000Z' })
      expect(await repo.displayLinkByTokenHash('hash-1')).toMatchObject({ revokedAt: '2026-11-24T03:00:00.000Z' })
      expect(await repo.revokeDisplayLink('missing', 'now')).toBeNull()
    })
  })
}
