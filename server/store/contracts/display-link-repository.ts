/** A read-only wall link for one scope (the token itself is never stored). */
export interface DisplayLink { id: string, scope: string, label: string, createdAt: string, revokedAt?: string }

export interface DisplayLinkRepository {
  insertDisplayLink: (link: DisplayLink, tokenHash: string) => Promise<void>
  /** The link of a token hash, revoked or not (the caller checks); null if unknown. */
  displayLinkByTokenHash: (tokenHash: string) => Promise<DisplayLink | null>
  listDisplayLinks: () => Promise<DisplayLink[]>
  /** Marks a link revoked (idempotent) and returns it; null if unknown. */
  revokeDisplayLink: (id: string, at: string) => Promise<DisplayLink | null>
}
