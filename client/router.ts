import { createRouter, createWebHistory } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta { chromeless?: boolean }
}

// Views are split per route, so the wall loads only what the wall needs.
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/ops' },
    { path: '/wall', component: () => import('./views/WallView.vue'), meta: { chromeless: true } },
    { path: '/ops', component: () => import('./views/OpsView.vue') },
    // drill-down: /analysis/:level/:code?from=&to=&category=&source=&status= (the URL carries the whole state)
    { path: '/analysis/:level(city|district|street|community|cell)?/:code?', component: () => import('./views/AnalysisView.vue') },
    // greenway panel (?scene=wall: the wall scene) on its own, until the analysis tab and the wall host them
    { path: '/greenway', component: () => import('./components/greenway/GreenwayPreview.vue') },
    { path: '/:rest(.*)*', redirect: '/ops' },
  ],
})
