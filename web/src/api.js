// The JSON API client. Every error comes back as {error: {code, message, details}}; this
// turns it into an ApiError the views can show.
export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {}
    super(err.message || `HTTP ${status}`)
    this.status = status
    this.code = err.code || 'internal'
    this.details = err.details || []
  }
}

async function request(method, path, { query, body } = {}) {
  const url = new URL(`/api/v1${path}`, window.location.origin)
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v))
  }
  const res = await fetch(url, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  })
  const text = await res.text()
  const data = text ? JSON.parse(text) : null
  if (!res.ok) throw new ApiError(res.status, data)
  return data
}

export const api = {
  health: () => request('GET', '/health'),
  topRegions: (opts = {}) => request('GET', '/regions', { query: opts }),
  region: (code) => request('GET', `/regions/${code}`),
  children: (code, opts = {}) => request('GET', `/regions/${code}/children`, { query: opts }),
  summary: (code) => request('GET', `/regions/${code}/summary`),
  searchRegions: (query) => request('GET', '/regions/search', { query }),
}
