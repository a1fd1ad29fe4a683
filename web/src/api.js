// The JSON API client. Every error comes back as {error: {code, message, details}}; this
// turns it into an ApiError the views can show.
import { localized } from './i18n.js'

// Messages and reasons come in the interface's language where the server has them in Chinese
// (message_zh, reason_zh); the English stays in messageEn and reasonEn.
export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {}
    super(localized(err.message, err.message_zh) || `HTTP ${status}`)
    this.messageEn = err.message || ''
    this.status = status
    this.code = err.code || 'internal'
    this.details = (err.details || []).map((d) => ({ ...d, reasonEn: d.reason, reason: localized(d.reason, d.reason_zh) }))
    this.currentVersion = err.current_version || 0
  }
}

// The CSRF token of the current session, sent on every state-changing request.
let csrfToken = ''
export function setCsrfToken(token) {
  csrfToken = token || ''
}
// Called when the server says the session is gone (401), e.g. to show the sign-in page.
let onUnauthenticated = () => {}
export function setUnauthenticatedHandler(fn) {
  onUnauthenticated = fn
}

async function request(method, path, { query, body } = {}) {
  const url = new URL(`/api/v1${path}`, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  const res = await fetch(url, {
    method,
    headers: {
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...(method !== 'GET' && csrfToken ? { 'X-CSRF-Token': csrfToken } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  })
  const text = await res.text()
  const data = text ? JSON.parse(text) : null
  if (res.status === 401 && path !== '/session') onUnauthenticated()
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

export const api = {
  health: () => request('GET', '/health'),
  session: () => request('GET', '/session'),
  login: (name, password) => request('POST', '/session', { body: { name, password } }),
  logout: () => request('DELETE', '/session'),
  changePassword: (oldPassword, newPassword) =>
    request('POST', '/session/password', {
      body: { old_password: oldPassword, new_password: newPassword },
    }),
  topRegions: (opts = {}) => request('GET', '/regions', { query: opts }),
  region: (code) => request('GET', `/regions/${code}`),
  children: (code, opts = {}) => request('GET', `/regions/${code}/children`, { query: opts }),
  summary: (code) => request('GET', `/regions/${code}/summary`),
  searchRegions: (query) => request('GET', '/regions/search', { query }),
  tokens: () => request('GET', '/tokens'),
  createToken: (name) => request('POST', '/tokens', { body: { name } }),
  revokeToken: (id) => request('DELETE', `/tokens/${id}`),
  users: () => request('GET', '/users'),
  createUser: (user) => request('POST', '/users', { body: user }),
  updateUser: (id, changes) => request('PATCH', `/users/${id}`, { body: changes }),
  resetPassword: (id, password) => request('POST', `/users/${id}/password`, { body: { password } }),
  organizations: () => request('GET', '/organizations'),
  createOrganization: (org) => request('POST', '/organizations', { body: org }),
  audit: (query) => request('GET', '/audit', { query }),
  verifyAudit: () => request('GET', '/audit/verify'),
  vocabularies: () => request('GET', '/registry/vocabularies'),
  households: (query) => request('GET', '/households', { query }),
  household: (id, query) => request('GET', `/households/${id}`, { query }),
  updateHousehold: (id, patch) => request('PATCH', `/households/${id}`, { body: patch }),
  memberEvent: (id, event) => request('POST', `/households/${id}/member-events`, { body: event }),
  householdHistory: (id, query) => request('GET', `/households/${id}/history`, { query }),
  revealHousehold: (id, field) => request('POST', `/households/${id}/reveal`, { body: { field } }),
  revealMember: (id, field) => request('POST', `/members/${id}/reveal`, { body: { field } }),
  indicators: () => request('GET', '/indicators'),
  indicatorValues: (query) => request('GET', '/indicators/values', { query }),
  // The indicator catalogue (指标库): units, one indicator, declared indicators (indicators.declare).
  indicatorUnits: () => request('GET', '/indicators/units'),
  indicator: (code) => request('GET', `/indicators/${encodeURIComponent(code)}`),
  declareIndicator: (body) => request('POST', '/indicators', { body }),
  // {version, …fields}: 409 conflict when `version` is stale, failed_precondition for a built-in.
  updateIndicator: (code, body) => request('PUT', `/indicators/${encodeURIComponent(code)}`, { body }),
  // 409 failed_precondition while the indicator is in use (the message says where).
  deleteIndicator: (code, version) =>
    request('DELETE', `/indicators/${encodeURIComponent(code)}`, { query: { version } }),
  // Entered statistics (统计数据录入). query: {indicator?, region?, year?}
  enteredValues: (query) => request('GET', '/indicators/entered', { query }),
  // {items: [{indicator, region, year, value}], note?} → {rows, inserted, updated, unchanged}
  enterValues: (body) => request('PUT', '/indicators/entered', { body }),
  // {file: base64, file_name, dry_run} → {rows, inserted, updated, unchanged, dry_run}
  importEnteredValues: (body) => request('POST', '/indicators/entered/import', { body }),
  goals: (query) => request('GET', '/goals', { query }),
  goalOutputs: (query) => request('GET', '/goals/outputs', { query }),
  goal: (id) => request('GET', `/goals/${id}`),
  createGoal: (body) => request('POST', '/goals', { body }),
  updateGoal: (id, body) => request('PUT', `/goals/${id}`, { body }),
  deleteGoal: (id, version) => request('DELETE', `/goals/${id}`, { query: { version } }),
  boundaries: (code) => request('GET', `/regions/${code}/boundaries`),
  qualityRules: () => request('GET', '/quality/rules'),
  qualityFindings: (query) => request('GET', '/quality/findings', { query }),
  importJob: (id) => request('GET', `/imports/${id}`),
  cancelImport: (id) => request('POST', `/imports/${id}/cancel`),
  monitoringVocabularies: () => request('GET', '/monitoring/vocabularies'),
  thresholds: () => request('GET', '/monitoring/thresholds'),
  saveThreshold: (threshold) => request('PUT', '/monitoring/thresholds', { body: threshold }),
  saveMonitoringOptions: (options) => request('PUT', '/monitoring/options', { body: options }),
  riskEvents: (householdId) => request('GET', `/households/${householdId}/risk-events`),
  reportRisk: (householdId, event) =>
    request('POST', `/households/${householdId}/risk-events`, { body: event }),
  runDetection: (region, year) =>
    request('POST', '/monitoring/detection', { body: year ? { region, year } : { region } }),
  cases: (query) => request('GET', '/monitoring/cases', { query }),
  monitoringCase: (id) => request('GET', `/monitoring/cases/${id}`),
  // action: verify, review, decide, dismiss, eliminate or measures
  caseAction: (id, action, body) => request('POST', `/monitoring/cases/${id}/${action}`, { body }),
  workshopVocabularies: () => request('GET', '/workshops/vocabularies'),
  projectVocabularies: () => request('GET', '/projects/vocabularies'),
  projects: (query) => request('GET', '/projects', { query }),
  project: (id) => request('GET', `/projects/${id}`),
  updateProject: (id, body) => request('PUT', `/projects/${id}`, { body }),
  // review | approve | accept | start | complete | maintain, with {decision?, reason, revision, on, maintainer}.
  projectStep: (id, route, body) => request('POST', `/projects/${id}/${route}`, { body }),
  projectReport: (id, body) => request('POST', `/projects/${id}/reports`, { body }),
  projectMilestone: (id, body) => request('POST', `/projects/${id}/milestones`, { body }),
  projectMeasurement: (id, body) => request('POST', `/projects/${id}/measurements`, { body }),
  projectDiff: (id, query) => request('GET', `/projects/${id}/diff`, { query }),
  workshops: (query) => request('GET', '/workshops', { query }),
  workshopFigures: (query) => request('GET', '/workshops/figures', { query }),
  workshopAlerts: (query) => request('GET', '/workshops/alerts', { query }),
  workshopStandards: (query) => request('GET', '/workshops/standards', { query }),
  setWorkshopStandard: (body) => request('PUT', '/workshops/standards', { body }),
  resumption: (query) => request('GET', '/workshops/resumption', { query }),
  workshop: (id, query) => request('GET', `/workshops/${id}`, { query }),
  workshopIndicators: (id, query) => request('GET', `/workshops/${id}/indicators`, { query }),
  createWorkshop: (body) => request('POST', '/workshops', { body }),
  updateWorkshop: (id, body) => request('PUT', `/workshops/${id}`, { body }),
  workshopStatus: (id, body) => request('POST', `/workshops/${id}/status-changes`, { body }),
  workshopCandidate: (id, body) => request('POST', `/workshops/${id}/candidates`, { body }),
  hire: (id, body) => request('POST', `/workshops/${id}/employments`, { body }),
  updateEmployment: (id, employment, body) =>
    request('PUT', `/workshops/${id}/employments/${employment}`, { body }),
  submitReport: (id, body) => request('POST', `/workshops/${id}/reports`, { body }),
  subsidyRules: (query) => request('GET', '/subsidy-rules', { query }),
  subsidyTemplates: (query) => request('GET', '/subsidy-rules/templates', { query }),
  createSubsidyRule: (rule) => request('POST', '/subsidy-rules', { body: rule }),
  updateSubsidyRule: (id, rule) => request('PUT', `/subsidy-rules/${id}`, { body: rule }),
  subsidyRuns: (query) => request('GET', '/subsidy-runs', { query }),
  subsidyRun: (id) => request('GET', `/subsidy-runs/${id}`),
  runSubsidy: (run) => request('POST', '/subsidy-runs', { body: run }),
  reviewSubsidy: (id, review) => request('POST', `/subsidy-runs/${id}/review`, { body: review }),
  paySubsidy: (payment) => request('POST', '/subsidy-payments', { body: payment }),
  subsidyLedger: (query) => request('GET', '/subsidy-ledger', { query }),
  fundVocabularies: () => request('GET', '/funds/vocabularies'),
  fundBatches: (query) => request('GET', '/fund-batches', { query }),
  fundBatch: (id) => request('GET', `/fund-batches/${id}`),
  createFundBatch: (body) => request('POST', '/fund-batches', { body }),
  updateFundBatch: (id, body) => request('PUT', `/fund-batches/${id}`, { body }),
  fundAllocations: (query) => request('GET', '/fund-allocations', { query }),
  allocate: (body) => request('POST', '/fund-allocations', { body }),
  reviseAllocation: (id, body) => request('PUT', `/fund-allocations/${id}`, { body }),
  deleteAllocation: (id, version) => request('DELETE', `/fund-allocations/${id}`, { query: { version } }),
  fundPayments: (query) => request('GET', '/fund-payments', { query }),
  pay: (body) => request('POST', '/fund-payments', { body }),
  voidPayment: (id, reason) => request('POST', `/fund-payments/${id}/void`, { body: { reason } }),
  projectExecution: (id, query) => request('GET', `/projects/${id}/execution`, { query }),
  fundMonitoring: (query) => request('GET', '/funds/monitoring', { query }),
  fundFlow: (query) => request('GET', '/funds/flow', { query }),
  evaluationTemplates: () => request('GET', '/evaluation/templates'),
  evaluationSystems: () => request('GET', '/evaluation/systems'),
  evaluationSystem: (id) => request('GET', `/evaluation/systems/${id}`),
  createEvaluationSystem: (body) => request('POST', '/evaluation/systems', { body }),
  // {version, name?, name_en?, description?, draft?}: 409 when `version` is stale.
  updateEvaluationSystem: (id, body) => request('PATCH', `/evaluation/systems/${id}`, { body }),
  publishEvaluationSystem: (id, body) => request('POST', `/evaluation/systems/${id}/publish`, { body }),
  evaluationVersion: (id, version) => request('GET', `/evaluation/systems/${id}/versions/${version}`),
  // query: {node?}
  evaluationJudgments: (id, version, query) =>
    request('GET', `/evaluation/systems/${id}/versions/${version}/judgments`, { query }),
  saveJudgment: (id, version, node, body) =>
    request('PUT', `/evaluation/systems/${id}/versions/${version}/judgments/${encodeURIComponent(node)}`, { body }),
  withdrawJudgment: (id, version, node) =>
    request('DELETE', `/evaluation/systems/${id}/versions/${version}/judgments/${encodeURIComponent(node)}`),
  // query: {aggregate, max_cr, weights_method, ri}
  evaluationWeights: (id, version, query) =>
    request('GET', `/evaluation/systems/${id}/versions/${version}/weights`, { query }),
  // The AHP of one matrix, nothing stored (the judgment form's live check).
  analyzeAhp: (matrix, query) => request('POST', '/evaluation/ahp', { body: { matrix }, query }),
  // Evaluation runs (评价运行). query: {system?}
  evaluationRuns: (query) => request('GET', '/evaluation/runs', { query }),
  evaluationRun: (id) => request('GET', `/evaluation/runs/${id}`),
  createEvaluationRun: (body) => request('POST', '/evaluation/runs', { body }),
  // Recomputes the stored snapshot: {reproduced, scores, fupin_version}.
  reproduceEvaluationRun: (id) => request('GET', `/evaluation/runs/${id}/reproduce`),
  // {version, findings}: 409 when `version` is stale, 422 once published.
  saveEvaluationFindings: (id, body) => request('PUT', `/evaluation/runs/${id}/findings`, { body }),
  publishEvaluationRun: (id, body) => request('POST', `/evaluation/runs/${id}/publish`, { body }),
  // Rectification (整改) of published runs' findings. query: {run?, system?, status?, overdue?}
  // → {items, total, summary: {by_status, overdue, today}}
  rectifications: (query) => request('GET', '/evaluation/rectifications', { query }),
  rectification: (id) => request('GET', `/evaluation/rectifications/${id}`),
  // → {run_id, tasks, follow_up: [{task, earlier_run, score_before, score_now, grade_before, grade_now, improved}]}
  runRectifications: (runId) => request('GET', `/evaluation/runs/${runId}/rectifications`),
  // {finding: index | object, node, text, text_en; title, unit, person, deadline}: 422 for a draft run.
  assignRectification: (runId, body) => request('POST', `/evaluation/runs/${runId}/rectifications`, { body }),
  // {version, title?, unit?, person?, deadline?}: 409 when `version` is stale.
  updateRectification: (id, body) => request('PATCH', `/evaluation/rectifications/${id}`, { body }),
  // {version, status, note, evidence}: progress, submission (evidence), verification or return (note).
  reportRectification: (id, body) => request('POST', `/evaluation/rectifications/${id}/reports`, { body }),
  // Surveys (问卷调查): questionnaires, their responses, imports, quality checks and leaf tallies.
  surveyGroups: () => request('GET', '/evaluation/survey-groups'),
  // query: {system_id?}
  surveys: (query) => request('GET', '/evaluation/surveys', { query }),
  survey: (id) => request('GET', `/evaluation/surveys/${id}`),
  createSurvey: (body) => request('POST', '/evaluation/surveys', { body }),
  // {version, …fields}: 409 when `version` is stale, 422 for questions changed once answered.
  updateSurvey: (id, body) => request('PATCH', `/evaluation/surveys/${id}`, { body }),
  // query: {region?}
  surveyResponses: (id, query) => request('GET', `/evaluation/surveys/${id}/responses`, { query }),
  enterSurveyResponse: (id, body) => request('POST', `/evaluation/surveys/${id}/responses`, { body }),
  deleteSurveyResponse: (id, rid) => request('DELETE', `/evaluation/surveys/${id}/responses/${rid}`),
  // {file: base64, file_name} → {tool, format, header, mapping, sample, unmapped}
  previewSurveyImport: (id, body) => request('POST', `/evaluation/surveys/${id}/import/preview`, { body }),
  // {file, file_name, tool?, mapping, dry_run} → {tool, dry_run, rows, inserted, updated}
  importSurvey: (id, body) => request('POST', `/evaluation/surveys/${id}/import`, { body }),
  surveyQuality: (id, query) => request('GET', `/evaluation/surveys/${id}/quality`, { query }),
  surveyTally: (id, query) => request('GET', `/evaluation/surveys/${id}/tally`, { query }),
  // subject: batch or project (the API's fund-batches/{id} or projects/{id}).
  notice: (subject, id, query) => request('GET', `${noticeBase(subject, id)}/notice`, { query }),
  recordPosting: (subject, id, body) => request('POST', `${noticeBase(subject, id)}/postings`, { body }),
}

function noticeBase(subject, id) {
  return subject === 'batch' ? `/fund-batches/${id}` : `/projects/${id}`
}

// A download (XLSX or CSV) of a funds list or notice: path under /api/v1 and its query.
export function downloadUrl(path, query) {
  const url = new URL(`/api/v1${path}`, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  return url.pathname + url.search
}
export function noticeDownloadUrl(subject, id, query) {
  return downloadUrl(`${noticeBase(subject, id)}/notice`, query)
}

// The report of an evaluation run: format html (a self-contained page to print, opened in a new
// tab) or xlsx (every number, a download); lang zh or en.
export function evaluationReportUrl(id, format, lang) {
  return `/api/v1/evaluation/runs/${id}/report?format=${format}&lang=${lang}`
}

// Downloads of the subsidy pages (XLSX): a run with its lines, and the ledger with the same
// filters as on screen.
export function subsidyRunExportUrl(id, lang) {
  return `/api/v1/subsidy-runs/${id}?format=xlsx&lang=${lang}`
}
export function subsidyLedgerExportUrl(query, lang) {
  const url = new URL('/api/v1/subsidy-ledger', window.location.origin)
  url.searchParams.set('format', 'xlsx')
  url.searchParams.set('lang', lang)
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  return url.pathname + url.search
}

// A workshops spreadsheet (a file download): path under /api/v1/workshops, its query.
export function workshopsExportUrl(path, query) {
  const url = new URL(`/api/v1/workshops${path}`, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  return url.pathname + url.search
}

// The public notice list of a region (a file download).
export function monitoringNoticeUrl(format, region, lang) {
  const url = new URL('/api/v1/monitoring/notice', window.location.origin)
  url.searchParams.set('format', format)
  if (region) url.searchParams.set('region', region)
  if (lang) url.searchParams.set('lang', lang)
  return url.pathname + url.search
}

// Uploads a file for a registry import (kind: members or incomes); the server answers 202 with
// the job to poll (api.importJob), or 400 at once when the file cannot be read.
export async function startImport(kind, file, { year, dryRun } = {}) {
  const url = new URL('/api/v1/imports', window.location.origin)
  url.searchParams.set('kind', kind)
  url.searchParams.set('file_name', file.name)
  if (year) url.searchParams.set('year', String(year))
  if (dryRun) url.searchParams.set('dry_run', 'true')
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/octet-stream',
      ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}),
    },
    body: file,
    credentials: 'same-origin',
  })
  const text = await res.text()
  const data = text ? JSON.parse(text) : null
  if (res.status === 401) onUnauthenticated()
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

// The template of an import of entered statistics (format csv or xlsx).
export function enteredTemplateUrl(format) {
  return `/api/v1/indicators/entered/template?format=${format}`
}

// Downloads offered by the import wizard.
export function importTemplateUrl(kind, format, lang) {
  return `/api/v1/imports/template?kind=${kind}&format=${format}&lang=${lang}`
}
export function importProblemsUrl(id, format, lang) {
  return `/api/v1/imports/${id}/problems?format=${format}&lang=${lang}`
}

// The address of a household export (a file download, not JSON): the same filters as the list.
export function householdsExportUrl(format, query = {}) {
  const url = new URL('/api/v1/households/export', window.location.origin)
  url.searchParams.set('format', format)
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) url.searchParams.set(k, String(v))
  }
  return url.pathname + url.search
}
