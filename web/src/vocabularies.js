// The code lists of the registry (attribute, cause, status, …) and of monitoring (rules,
// stages, categories, risk kinds), of projects and of funds (sources, levels, purposes, alert
// rules) with their Chinese and English labels, fetched once from
// /registry/vocabularies and /monitoring/vocabularies and shown in the current language.
import { reactive } from 'vue'
import { api } from './api.js'
import { i18n } from './i18n.js'

export const vocab = reactive({ loaded: false, lists: {} })
let pending = null

export function loadVocabularies() {
  if (vocab.loaded) return Promise.resolve(vocab.lists)
  if (!pending) {
    pending = Promise.all([
      api.vocabularies(),
      api.monitoringVocabularies(),
      api.workshopVocabularies(),
      api.projectVocabularies(),
      api.fundVocabularies(),
    ])
      .then(([registry, monitoring, workshops, projects, funds]) => {
        // The funds lists under names of their own (fund_purpose, not a bare purpose).
        const fundLists = {
          fund_source: funds.fund_source,
          issuing_level: funds.issuing_level,
          fund_purpose: funds.purpose,
          fund_alert_rule: funds.alert_rule,
        }
        const lists = { ...registry, ...monitoring, ...workshops, ...projects, ...fundLists }
        vocab.lists = lists
        vocab.loaded = true
        return lists
      })
      .finally(() => {
        pending = null
      })
  }
  return pending
}

// The label of `code` in list `kind` for the current language; the code itself if unknown.
export function label(kind, code) {
  if (code === null || code === undefined || code === '') return '—'
  const item = (vocab.lists[kind] || []).find((x) => x.code === code)
  if (!item) return code
  return i18n.global.locale.value === 'en' ? item.en : item.zh
}

// The options of a select: [{value, label}] in the current language.
export function options(kind) {
  return (vocab.lists[kind] || []).map((x) => ({ value: x.code, label: label(kind, x.code) }))
}

// The tag colour of a household status: poor or returned red, monitored amber, lifted green.
export function statusType(status) {
  return (
    {
      identified: 'danger',
      lifted: 'success',
      monitored: 'warning',
      risk_eliminated: 'success',
      returned: 'danger',
      cancelled: 'info',
    }[status] || 'info'
  )
}

// The tag colour of a monitoring stage: waiting ones amber, monitored red, closed grey/green.
export function stageType(stage) {
  return (
    {
      alert: 'warning',
      village_verified: 'warning',
      township_reviewed: 'warning',
      monitored: 'danger',
      dismissed: 'info',
      risk_eliminated: 'success',
    }[stage] || 'info'
  )
}
