// Shared by the funds pages (资金监管) and the project page's funds tabs: money in fen shown as
// yuan or 万元, rates and performance indices with their colours, the years of the year filter,
// and the values an alert fired on in the current language.
import { i18n } from './i18n.js'
import { label } from './vocabularies.js'

export { formatYuan, toFen } from './workshops.js'

function locale() {
  return i18n.global.locale.value === 'en' ? 'en' : 'zh-CN'
}

// 1234567800 fen → "1,234.57" (万元, ten thousand yuan).
export function formatWan(fen) {
  if (fen === null || fen === undefined) return '—'
  return (fen / 1e6).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

// A rate of 0–1 as a percentage with one decimal; "—" when there is nothing to divide by.
export function formatRate(rate) {
  if (rate === null || rate === undefined) return '—'
  return `${(rate * 100).toFixed(1)}%`
}

// SPI or CPI with two decimals; "—" when not defined (no planned value, nothing paid).
export function formatIndex(v) {
  if (v === null || v === undefined) return '—'
  return v.toFixed(2)
}

// The colour of an index: at or above 1 green, within 10% below amber, further below red.
export function indexTag(v) {
  if (v === null || v === undefined) return 'info'
  if (v >= 1) return 'success'
  if (v >= 0.9) return 'warning'
  return 'danger'
}

// The colour of an alert rule: rules about the use of money red, about the schedule amber.
export function ruleTag(rule) {
  return ['over_budget', 'payment_before_approval', 'purpose_not_allocated', 'split_payments'].includes(rule)
    ? 'danger'
    : 'warning'
}

// The years of the year filter: next year back to 2014 (the start of targeted alleviation).
export function yearOptions() {
  const now = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()
  const years = []
  for (let y = now + 1; y >= 2014; y--) years.push(y)
  return years
}

// An alert's values ({name, value}) as "label value" pieces: purpose codes and statuses shown
// in the current language, amounts with their unit.
export function alertValues(values) {
  const t = i18n.global.t
  return (values || []).map((v) => {
    let value = v.value
    if (value === '' || value === null || value === undefined) value = '—'
    else if (v.name === 'purpose') value = label('fund_purpose', v.value)
    else if (v.name === 'allocated_purposes') {
      value = v.value
        .split(',')
        .map((c) => label('fund_purpose', c.trim()))
        .join(t('funds.listSeparator'))
    } else if (v.name === 'status') value = label('project_status', v.value)
    else if (v.name.endsWith('_yuan')) value = `${v.value} ${t('funds.yuan')}`
    else if (v.name === 'days' || v.name.endsWith('_days')) value = t('funds.days', { n: v.value })
    const known = i18n.global.te(`funds.value.${v.name}`)
    return { name: v.name, label: known ? t(`funds.value.${v.name}`) : v.name, value }
  })
}

// An alert's message in the interface's language.
export function alertMessage(alert) {
  return i18n.global.locale.value === 'en' ? alert.message_en : alert.message_zh
}
