import { callEntries } from '../calls/call-history.ts'
import type { Route } from './routes.ts'

/** The routes of calls: their history, the calls ringing or under way, declining and ending one */
export const CALL_ROUTES: Route[] = [
  { method: 'GET', path: '/calls', handle: async ({ parley }) => callEntries(await parley.messenger.history()) },
  { method: 'GET', path: '/calls/active', handle: async ({ parley }) => parley.calls.active() },
  { method: 'POST', path: '/calls/:id/decline', handle: async ({ parley, params }) => parley.calls.decline(params.id) },
  { method: 'POST', path: '/calls/:id/hang-up', handle: async ({ parley, params }) => parley.calls.hangUp(params.id) }
]
