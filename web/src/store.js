// The region the user is working in, chosen in the header and kept across visits.
import { reactive } from 'vue'

const STORAGE_KEY = 'fupin.region'

function load() {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY)) || null
  } catch {
    return null
  }
}

export const session = reactive({
  region: load(), // {code, name, level} or null
})

export function setRegion(region) {
  session.region = region ? { code: region.code, name: region.name, level: region.level } : null
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session.region))
}
