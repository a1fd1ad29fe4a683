// The state of a form's last server error: the message, and the per-field reasons the API puts
// in error.details ({column, reason}) so each field can show its own.
import { ref } from 'vue'

export function useFormErrors() {
  const message = ref('')
  const details = ref([])
  return {
    message,
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
