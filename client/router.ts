import { createRouter, createWebHistory } from 'vue-router'
import { landingFor, loginUrl } from './auth/landing.js'
import { setUnauthorizedHandler } from './services/api.js'
import { displayToken } from './services/socket.js'
import { useSessionStore } from './stores/session.js'

declare module 'vue-router' {
  /** `public`: shown without a login (the login page itself). */
  interface RouteMeta { chromeless?: boolean, public?: boolean }
}

// Views are split per route, so the wall loads only what the wall needs.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', component: () => import('./views/LoginView.vue'), meta: { chromeless: true, public: true } },
    // '/' is never shown: the guard sends each role to its own view (or to the login page)
    { path: '/', component: () => import('./views/LoginView.vue'), meta: { chromeless: true } },
    { path: '/wall', component: () => import('./views/WallView.vue'), meta: { chromeless: true } },
    { path: '/ops', component: () => import('./views/OpsView.vue') },
    // drill-down: /analysis/:level/:code?from=&to=&category=&source=&status= (the URL carries the whole state)
    { path: '/analysis/:level(city|district|street|community|cell)?/:code?', component: () => import('./views/AnalysisView.vue') },
    // the greenway tab of analysis ('greenway' is not a level, so the drill-down's pattern leaves it alone)
    { path: '/analysis/greenway', component: () => import('./views/GreenwayAnalysisView.vue') },
    // the campaigns tab (专项行动): list and the chosen campaign's progress
    { path: '/analysis/campaigns/:id?', component: () => import('./views/CampaignAnalysisView.vue') },
    // the panel and the wall scene on their own (?scene=wall), for checking a city's greenway data
    { path: '/greenway', component: () => import('./components/greenway/GreenwayPreview.vue') },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

// Every view but the login page needs a login; a wall opened through a display link needs none (its token is its
// credential). The server decides what each role may see: this only sends people where they can log in or start.
router.beforeEach(async (to) => {
  if (displayToken || to.meta.public) return true
  let me
  try {
    me = await useSessionStore().check()
  } catch {
    return true // the server is unreachable: the view shows that, with a retry
  }
  if (!me) return loginUrl(to.fullPath)
  if (to.path === '/') return landingFor(me.role)
  return true
})

// a session that ends while the page is open (expired, revoked): to the login page, and back here afterwards
setUnauthorizedHandler(() => {
  const here = router.currentRoute.value
  if (!here.meta.public) window.location.assign(loginUrl(here.fullPath))
})
