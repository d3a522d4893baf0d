import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import type { Role } from '../../shared/access.js'
import { ApiRequestError, getJson, postJson } from '../services/api.js'

/** The logged-in user as GET /api/v1/auth/me answers. */
export interface Me { username: string, displayName: string, role: Role, scope: string }

export type LoginFailure = { kind: 'wrong' } | { kind: 'throttled', retryAfterS: number } | { kind: 'unavailable', message: string }

/** Who is logged in (null: nobody, or not known yet). The cookie itself is HttpOnly: the page never sees it. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  const checked = ref(false)
  let checking: Promise<Me | null> | null = null

  /** Asks the server once per page (again after login/logout): a 401 means nobody. */
  function check(): Promise<Me | null> {
    checking ??= getJson<Me>('/api/v1/auth/me', { quiet401: true }).then(
      (m) => { me.value = m; return m },
      (err: unknown) => {
        me.value = null
        if (err instanceof ApiRequestError && err.status === 401) return null
        checking = null // a network failure: ask again next time
        throw err
      },
    ).finally(() => { checked.value = true })
    return checking
  }

  async function login(username: string, password: string): Promise<Me | LoginFailure> {
    try {
      const m = await postJson<Me>('/api/v1/auth/login', { username, password })
      // the caller loads the next page afresh: the socket then authenticates with the new cookie, and nothing the
      // page held for a previous user survives
      me.value = m
      checking = Promise.resolve(m)
      return m
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) return { kind: 'wrong' }
      if (err instanceof ApiRequestError && err.status === 429) return { kind: 'throttled', retryAfterS: err.retryAfterS ?? 60 }
      return { kind: 'unavailable', message: (err as Error).message }
    }
  }

  async function logout(): Promise<void> {
    await postJson('/api/v1/auth/logout', {}).catch(() => undefined) // the cookie is cleared either way on the server
    me.value = null
    checking = Promise.resolve(null)
  }

  return { me, checked, check, login, logout }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
