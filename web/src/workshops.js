// Shared by the workshop pages: money in fen shown as yuan, the operating-status colours of
// the map, the curve and the tags, and the last full month (China time).

// Operating statuses in the order the legends show them.
export const STATUSES = ['operating', 'partial', 'suspended', 'closed']

export const COLOURS = {
  operating: '#67c23a',
  partial: '#409eff',
  suspended: '#e6a23c',
  closed: '#909399',
  unknown: '#c0c4cc',
}

export function statusTag(status) {
  return { operating: 'success', partial: 'primary', suspended: 'warning', closed: 'info' }[status] || 'info'
}

// 123456 fen → "1,234.56".
export function formatYuan(fen) {
  if (fen === null || fen === undefined) return '—'
  return (fen / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

// "1,234.56" or "1234.5" (yuan as typed) → fen; NaN when not a number.
export function toFen(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return 0
  const n = Number(String(yuan).replace(/,/g, ''))
  return Number.isFinite(n) ? Math.round(n * 100) : NaN
}

// Today in China Standard Time as [year, month (1-12)].
function chinaYearMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000)
  return [now.getUTCFullYear(), now.getUTCMonth() + 1]
}

// The last full month, YYYY-MM: the month whose reports are due.
export function lastFullMonth() {
  const [y, m] = chinaYearMonth()
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

export function currentMonth() {
  const [y, m] = chinaYearMonth()
  return `${y}-${String(m).padStart(2, '0')}`
}
