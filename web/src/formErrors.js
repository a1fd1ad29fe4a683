// The state of a form's last server error: the message, and the per-field reasons the API puts
// in error.details ({column, reason}) so each field can show its own.
import { ref } from 'vue'

export function useFormErrors() {
  const message = ref('')
  const details = ref([])
  return {
    message,
    details,
    clear() {
      message.value = ''
      details.value = []
    },
    set(error) {
      message.value = error.message
      details.value = error.details || []
    },
    // The reasons given for `column`, joined ("" when none).
    field(column) {
      return details.value
        .filter((d) => d.column === column)
        .map((d) => d.reason)
        .join('; ')
    },
  }
}

// Today in China Standard Time, YYYY-MM-DD: the business date the server uses.
export function chinaToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}

// The state of a dialog that saves a versioned record: a conflict (someone else saved first:
// the current version), or the problems the server named.
export function useSaveErrors() {
  const problems = ref([])
  const message = ref('')
  const conflict = ref(0)
  return {
    problems,
    message,
    conflict,
    clear() {
      problems.value = []
      message.value = ''
      conflict.value = 0
    },
    // Takes the ApiError of a failed save; `version` is the version the dialog edited.
    set(e, version) {
      if (e.status === 409 && e.code === 'conflict') {
        conflict.value = e.currentVersion || version + 1
      } else {
        message.value = e.message
        problems.value = e.details.length ? e.details : [{ column: '', reason: e.message }]
      }
    },
  }
}
