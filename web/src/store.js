// Who is signed in, and the region they are working in (chosen in the header, kept across
// visits).
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'

const REGION_KEY = 'fupin.region'

function loadRegion() {
  try {
    return JSON.parse(localStorage.getItem(REGION_KEY)) || null
  } catch {
    return null
  }
}

export const session = reactive({
  user: null, // {id, name, display_name, roles}
  permissions: {}, // "module.action" → [region codes]
  ownHouseholds: {}, // "module.action" → [household ids]: held on one's own household only
  ownOrganizations: {}, // "module.action" → [organization ids]: held on what one's organization runs
  checked: false, // asked the server once
  region: loadRegion(), // {code, name, level} or null
})

export function can(permission) {
  return Array.isArray(session.permissions[permission]) && session.permissions[permission].length > 0
}

// Whether `permission` is held on one's own household only (a household member's registry.read):
// the pages that serve it show that household and nothing else.
export function canOwn(permission) {
  return Array.isArray(session.ownHouseholds[permission]) && session.ownHouseholds[permission].length > 0
}

// Whether `permission` is held on the workshops one's organization runs (an operator's users).
export function canRun(permission) {
  return (
    Array.isArray(session.ownOrganizations[permission]) && session.ownOrganizations[permission].length > 0
  )
}

// The code prefix of a region's subtree: 99 (province), 9901, 990121, 990121001, or the whole
// 12-digit village code.
function subtreePrefix(code) {
  for (const length of [2, 4, 6, 9]) {
    if (/^0*$/.test(code.slice(length))) return code.slice(0, length)
  }
  return code
}

// Whether `permission` is held over the whole subtree of region `code`.
export function canIn(permission, code) {
  const scopes = session.permissions[permission]
  if (!Array.isArray(scopes) || !code) return false
  return scopes.some((s) => s === '' || code.startsWith(subtreePrefix(s)))
}

function apply(data) {
  session.user = data ? data.user : null
  session.permissions = data ? data.permissions : {}
  session.ownHouseholds = (data && data.own_households) || {}
  session.ownOrganizations = (data && data.own_organizations) || {}
  setCsrfToken(data ? data.csrf_token : '')
}

// Asks the server who is signed in (the session cookie is HttpOnly, so only it knows).
export async function refreshSession() {
  try {
    apply(await api.session())
  } catch {
    apply(null)
  }
  session.checked = true
  return session.user
}

export async function login(name, password) {
  apply(await api.login(name, password))
  session.checked = true
}

export async function logout() {
  try {
    await api.logout()
  } finally {
    apply(null)
  }
}

export function clearSession() {
  apply(null)
}

// A region outside the user's regions for `permission` (the header defaults to the first
// province): switch to the first region where they hold it. `fetchRegion(code)` gives the
// region record (api.region); on failure the header's region stays.
export async function ensureRegionFor(permission, fetchRegion) {
  const scopes = session.permissions[permission] || []
  if (scopes.length === 0 || (session.region && canIn(permission, session.region.code))) return
  try {
    setRegion(await fetchRegion(scopes[0]))
  } catch {
    // Keep the header's region; the page still shows what the user reaches.
  }
}

export function setRegion(region) {
  session.region = region ? { code: region.code, name: region.name, level: region.level } : null
  localStorage.setItem(REGION_KEY, JSON.stringify(session.region))
}
