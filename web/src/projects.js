// Shared by the project pages: the tag colour of each lifecycle status, and which route and
// decision of the API take each lifecycle action.

export function statusTag(status) {
  return (
    {
      proposed: 'info',
      reviewed: 'primary',
      approved: 'primary',
      in_progress: 'warning',
      completed: 'success',
      accepted: 'success',
      maintenance: 'success',
      returned: 'danger',
      rejected: 'danger',
    }[status] || 'info'
  )
}

// action → [route, decision]; decisions of the review, approval and acceptance routes.
export const ACTION_ROUTES = {
  review: ['review', 'pass'],
  review_return: ['review', 'return'],
  review_reject: ['review', 'reject'],
  approve: ['approve', 'approve'],
  approve_return: ['approve', 'return'],
  approve_reject: ['approve', 'reject'],
  accept: ['accept', 'accept'],
  accept_return: ['accept', 'return'],
  start: ['start', ''],
  complete: ['complete', ''],
  maintain: ['maintain', ''],
}

export function needsReason(action) {
  return action.endsWith('_return') || action.endsWith('_reject')
}
