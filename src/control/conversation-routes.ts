import { publicMessage } from '../events/public.ts'
import { BadRequestError } from './errors.ts'
import { booleanField, readJson, stringField } from './http-body.ts'
import type { Route } from './routes.ts'
import type { MessageRef, Settings } from '../storage/types.ts'

/** The routes of what happens inside a conversation: reactions, edits, deletions, timers, reads, typing, settings */
export const CONVERSATION_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/conversations',
    handle: async ({ parley }) => (await parley.messenger.conversations()).map(({ last, ...state }) => ({ ...state, ...(last != null ? { last: publicMessage(last) } : {}) }))
  },
  {
    method: 'POST',
    path: '/conversations/:peer/read',
    handle: async ({ parley, params }) => ({ read: await parley.messenger.markRead(params.peer) })
  },
  {
    method: 'POST',
    path: '/conversations/:peer/timer',
    handle: async ({ parley, params, req }) => publicMessage(await parley.messenger.setTimer(params.peer, numberField(await readJson(req), 'seconds')))
  },
  {
    method: 'POST',
    path: '/conversations/:peer/typing',
    handle: async ({ parley, params, req }) => ({ sent: await parley.messenger.typing(params.peer, booleanField(await readJson(req), 'typing')) })
  },
  {
    method: 'POST',
    path: '/reactions',
    handle: async ({ parley, req }) => {
      const body = await readJson(req)
      return publicMessage(await parley.messenger.react(stringField(body, 'peer'), refField(body, 'message'), stringField(body, 'emoji')))
    }
  },
  {
    method: 'POST',
    path: '/messages/:id/edit',
    handle: async ({ parley, params, req }) => {
      const body = await readJson(req)
      return publicMessage(await parley.messenger.edit(stringField(body, 'peer'), params.id, stringField(body, 'text')))
    }
  },
  {
    method: 'POST',
    path: '/messages/:id/delete',
    handle: async ({ parley, params, req }) => publicMessage(await parley.messenger.deleteForEveryone(stringField(await readJson(req), 'peer'), params.id))
  },
  { method: 'GET', path: '/settings', handle: async ({ parley }) => parley.messenger.settings() },
  {
    method: 'POST',
    path: '/settings',
    handle: async ({ parley, req }) => {
      const body = await readJson(req)
      const change: Partial<Settings> = {}
      for (const name of ['readReceipts', 'typingIndicators'] as const) {
        if (body[name] !== undefined) change[name] = booleanField(body, name)
      }
      return parley.messenger.changeSettings(change)
    }
  }
]

/** `{"id": "...", "author": "..."}`, a reference to a message (a reply's, a reaction's) */
export function refField (body: Record<string, unknown>, name: string): MessageRef {
  const value = body[name]
  if (value == null || typeof value !== 'object') throw new BadRequestError(`"${name}" must be an object with "id" and "author"`)
  const ref = value as Record<string, unknown>
  return { id: stringField(ref, 'id'), author: stringField(ref, 'author') }
}

function numberField (body: Record<string, unknown>, name: string): number {
  const value = body[name]
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new BadRequestError(`"${name}" must be an integer`)
  return value
}
