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
    // every source the city has (devices, API keys, Open311 keys, the simulator) with its counters (issue #15)
    { path: '/ops/sources', component: () => import('./views/SourcesView.vue') },
    // drill-down: /analysis/:level/:code?from=&to=&category=&source=&status= (the URL carries the whole state)
    { path: '/analysis/:level(city|district|street|community|cell)?/:code?', component: () => import('./views/AnalysisView.vue') },
    // the greenway tab of analysis ('greenway' is not a level, so the drill-down's pattern leaves it alone)
    { path: '/analysis/greenway', component: () => import('./views/GreenwayAnalysisView.vue') },
    // the campaigns tab (专项行动): list and the chosen campaign's progress
    { path: '/analysis/campaigns/:id?', component: () => import('./views/CampaignAnalysisView.vue') },
    // the panel and the wall scene on their own (?scene=wall), for checking a city's greenway data
    { path: '/greenway', component: () => import('./components/greenway/GreenwayPreview.vue') },
    { path: '/:rest(.*)*', redirect: '/ops' },
  ],
})
