// History-mode routes; the server answers unknown non-API paths with index.html.
import { createRouter, createWebHistory } from 'vue-router'
import DashboardView from './views/DashboardView.vue'
import RegionsView from './views/RegionsView.vue'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'dashboard', component: DashboardView },
    { path: '/regions', name: 'regions', component: RegionsView },
    { path: '/regions/:code', name: 'region', component: RegionsView, props: true },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})
