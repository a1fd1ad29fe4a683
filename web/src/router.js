// History-mode routes; the server answers unknown non-API paths with index.html. Every page
// but sign-in needs a session; the server enforces access regardless of what the UI shows.
import { createRouter, createWebHistory } from 'vue-router'
import DashboardView from './views/DashboardView.vue'
import RegionsView from './views/RegionsView.vue'
import LoginView from './views/LoginView.vue'
import UsersView from './views/UsersView.vue'
import AuditView from './views/AuditView.vue'
import OrganizationsView from './views/OrganizationsView.vue'
import HouseholdsView from './views/HouseholdsView.vue'
import HouseholdView from './views/HouseholdView.vue'
import ImportView from './views/ImportView.vue'
import QualityView from './views/QualityView.vue'
import MonitoringView from './views/MonitoringView.vue'
import MonitoringCaseView from './views/MonitoringCaseView.vue'
import WorkshopsView from './views/WorkshopsView.vue'
import WorkshopView from './views/WorkshopView.vue'
import SubsidyView from './views/SubsidyView.vue'
import ProjectsView from './views/ProjectsView.vue'
import ProjectView from './views/ProjectView.vue'
import GoalsView from './views/GoalsView.vue'
import FundsView from './views/FundsView.vue'
import FundBatchView from './views/FundBatchView.vue'
import NoticeView from './views/NoticeView.vue'
import EvaluationView from './views/EvaluationView.vue'
import EvaluationSystemView from './views/EvaluationSystemView.vue'
import EvaluationRunNewView from './views/EvaluationRunNewView.vue'
import EvaluationRunView from './views/EvaluationRunView.vue'
import SurveyView from './views/SurveyView.vue'
import SurveyEntryView from './views/SurveyEntryView.vue'
import RectificationView from './views/RectificationView.vue'
import IndicatorsView from './views/IndicatorsView.vue'
import { session, refreshSession, clearSession, can, canOwn, canRun } from './store.js'
import { setUnauthenticatedHandler } from './api.js'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true, bare: true } },
    { path: '/', name: 'dashboard', component: DashboardView },
    { path: '/regions', name: 'regions', component: RegionsView },
    { path: '/regions/:code', name: 'region', component: RegionsView, props: true },
    {
      path: '/organizations',
      name: 'organizations',
      component: OrganizationsView,
      meta: { permission: 'organizations.read' },
    },
    {
      path: '/households',
      name: 'households',
      component: HouseholdsView,
      meta: { permission: 'registry.read', ownHousehold: true },
    },
    {
      path: '/households/import',
      name: 'import',
      component: ImportView,
      meta: { permission: 'registry.write' },
    },
    {
      path: '/households/:id',
      name: 'household',
      component: HouseholdView,
      props: true,
      meta: { permission: 'registry.read', ownHousehold: true },
    },
    {
      path: '/quality',
      name: 'quality',
      component: QualityView,
      meta: { permission: 'registry.read' },
    },
    {
      path: '/monitoring',
      name: 'monitoring',
      component: MonitoringView,
      meta: { permission: 'monitoring.read' },
    },
    {
      path: '/monitoring/cases/:id',
      name: 'monitoring-case',
      component: MonitoringCaseView,
      props: true,
      meta: { permission: 'monitoring.read' },
    },
    {
      path: '/workshops',
      name: 'workshops',
      component: WorkshopsView,
      meta: { permission: 'workshops.read', ownOrganization: true },
    },
    {
      path: '/workshops/:id',
      name: 'workshop',
      component: WorkshopView,
      props: true,
      meta: { permission: 'workshops.read', ownOrganization: true },
    },
    {
      path: '/goals',
      name: 'goals',
      component: GoalsView,
      meta: { permission: 'goals.read' },
    },
    // The indicator catalogue (指标库), for every signed-in user; its entered-statistics tab
    // asks for registry.read.
    { path: '/indicators', name: 'indicators', component: IndicatorsView },
    {
      path: '/subsidies',
      name: 'subsidies',
      component: SubsidyView,
      meta: { permission: 'subsidies.read' },
    },
    {
      path: '/projects',
      name: 'projects',
      component: ProjectsView,
      meta: { permission: 'projects.read' },
    },
    {
      path: '/projects/:id',
      name: 'project',
      component: ProjectView,
      props: true,
      meta: { permission: 'projects.read' },
    },
    {
      path: '/funds',
      name: 'funds',
      component: FundsView,
      meta: { permission: 'funds.read' },
    },
    {
      path: '/funds/batches/:id',
      name: 'fund-batch',
      component: FundBatchView,
      props: true,
      meta: { permission: 'funds.read' },
    },
    {
      path: '/evaluation',
      name: 'evaluation',
      component: EvaluationView,
      meta: { permission: 'evaluation.read' },
    },
    {
      path: '/evaluation/systems/:id',
      name: 'evaluation-system',
      component: EvaluationSystemView,
      props: true,
      meta: { permission: 'evaluation.read' },
    },
    {
      path: '/evaluation/runs/new',
      name: 'evaluation-run-new',
      component: EvaluationRunNewView,
      meta: { permission: 'evaluation.run' },
    },
    {
      path: '/evaluation/runs/:id(\\d+)',
      name: 'evaluation-run',
      component: EvaluationRunView,
      props: true,
      meta: { permission: 'evaluation.read' },
    },
    {
      path: '/evaluation/surveys/:id(\\d+)',
      name: 'survey',
      component: SurveyView,
      props: true,
      meta: { permission: 'evaluation.read' },
    },
    // A rectification task (整改任务) of a published run's finding.
    {
      path: '/evaluation/rectifications/:id(\\d+)',
      name: 'rectification',
      component: RectificationView,
      props: true,
      meta: { permission: 'evaluation.read' },
    },
    // The field interviewers' phone form: a page of its own, without the sidebar.
    {
      path: '/evaluation/surveys/:id(\\d+)/entry',
      name: 'survey-entry',
      component: SurveyEntryView,
      props: true,
      meta: { permission: 'evaluation.survey', bare: true },
    },
    // A public notice of a fund batch (funds.read) or of a project (projects.read): the server
    // decides; the page shows its refusal.
    {
      path: '/notices/:subject(batch|project)/:id',
      name: 'notice',
      component: NoticeView,
      props: true,
    },
    { path: '/admin/users', name: 'users', component: UsersView, meta: { permission: 'users.read' } },
    { path: '/admin/audit', name: 'audit', component: AuditView, meta: { permission: 'audit.read' } },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.beforeEach(async (to) => {
  if (!session.checked) await refreshSession()
  if (!to.meta.public && !session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  }
  if (to.name === 'login' && session.user) return { path: '/' }
  // Pages marked ownHousehold also serve a household member their own household.
  // Pages marked ownOrganization also serve an operator's users the workshops it runs.
  const allowed = (p) =>
    can(p) || (to.meta.ownHousehold && canOwn(p)) || (to.meta.ownOrganization && canRun(p))
  if (to.meta.permission && !allowed(to.meta.permission)) return { path: '/' }
  return true
})

// A session that ends while the page is open (expired, logged out elsewhere) leads back to
// the sign-in page.
setUnauthenticatedHandler(() => {
  clearSession()
  const current = router.currentRoute.value
  if (!current.meta.public) router.push({ name: 'login', query: { next: current.fullPath } })
})
