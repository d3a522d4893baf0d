/** Wall scenes, in rotation order. Greenway scenes join when their data is available, the campaign scene when there is a campaign. */
export const WALL_SCENES = ['overview', 'incidents', 'greenway', 'coverage', 'campaign'] as const
export type WallScene = typeof WALL_SCENES[number]

/** What the wall has data for; a scene that needs something joins the rotation once it is there. */
export interface WallData { greenway: boolean, campaign: boolean }
const NEEDS: Record<WallScene, keyof WallData | null> = { overview: null, incidents: null, greenway: 'greenway', coverage: 'greenway', campaign: 'campaign' }

/** Pure: the scenes in rotation, in WALL_SCENES' order. */
export function availableScenes(has: WallData): WallScene[] {
  return WALL_SCENES.filter((s) => {
    const need = NEEDS[s]
    return need === null || has[need]
  })
}

export const DEFAULT_ROTATE_SECONDS = 60
const MIN_ROTATE_SECONDS = 10

export interface WallParams {
  /** A pinned scene (no rotation), from `?scene=`. */
  scene: WallScene | null
  /** Seconds per scene, from `?rotate=` (0 = no rotation). */
  rotateSeconds: number
  /** A district wall, from `?district=510106`. */
  district: string | null
}

const first = (v: unknown): string | undefined => (Array.isArray(v) ? first(v[0]) : typeof v === 'string' ? v : undefined)

/** Pure: the wall's URL parameters, with anything unknown ignored (a wall must start whatever its URL says). */
export function parseWallParams(query: Record<string, unknown>): WallParams {
  const scene = first(query.scene)
  const rotate = Number(first(query.rotate) ?? DEFAULT_ROTATE_SECONDS)
  const district = first(query.district)
  return {
    scene: (WALL_SCENES as readonly string[]).includes(scene ?? '') ? scene as WallScene : null,
    rotateSeconds: Number.isFinite(rotate) && rotate >= 0 ? (rotate === 0 ? 0 : Math.max(MIN_ROTATE_SECONDS, rotate)) : DEFAULT_ROTATE_SECONDS,
    district: district && /^\d{6}$/.test(district) ? district : null,
  }
}

/** The scene after `current` among those available (wrapping); the first available if `current` is not. */
export function nextScene(current: WallScene, available: readonly WallScene[]): WallScene {
  if (available.length === 0) return current
  const at = available.indexOf(current)
  return available[(at + 1) % available.length]!
}
