import { groupInfo } from '../events/group-info.ts'
import { publicMessage } from '../events/public.ts'
import { refField } from './conversation-routes.ts'
import { BadRequestError, NotFoundError } from './errors.ts'
import { readJson, stringField } from './http-body.ts'
import type { Route } from './routes.ts'
import type { GroupInfo } from '../events/group-info.ts'
import type { Parley } from '../parley.ts'
import type { PeerId } from '@libp2p/interface'

/** The PeerIds whose safety number the user marked as compared */
async function verifiedSet (parley: Parley): Promise<Set<string>> {
  return new Set((await parley.messenger.verifiedPeers()).map(v => v.peerId))
}

/** A group with `verified`: its members whose safety number the user marked as compared */
function withVerified (info: GroupInfo, verified: Set<string>): GroupInfo & { verified: string[] } {
  return { ...info, verified: info.members.filter(m => verified.has(m)) }
}

/** The routes of groups: `:group` is a group's id or its (locally unique) name */
export const GROUP_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/groups',
    handle: async ({ parley }) => {
      const verified = await verifiedSet(parley)
      return (await parley.groups.list()).map(state => withVerified(groupInfo(state), verified))
    }
  },
  {
    method: 'POST',
    path: '/groups',
    handle: async ({ parley, req }) => groupInfo(await parley.groups.create(stringField(await readJson(req), 'name')))
  },
  { method: 'GET', path: '/groups/:group', handle: async ({ parley, params }) => withVerified(groupInfo(await parley.groups.get(params.group)), await verifiedSet(parley)) },
  {
    method: 'POST',
    path: '/groups/:group/members',
    handle: async ({ parley, params, req }) => groupInfo(await parley.groups.add(params.group, await peersField(parley, await readJson(req))))
  },
  {
    method: 'DELETE',
    path: '/groups/:group/members/:peer',
    handle: async ({ parley, params }) => groupInfo(await parley.groups.remove(params.group, await parley.messenger.resolvePeer(params.peer)))
  },
  {
    method: 'POST',
    path: '/groups/:group/admins',
    handle: async ({ parley, params, req }) => groupInfo(await parley.groups.promote(params.group, await peersField(parley, await readJson(req))))
  },
  {
    method: 'POST',
    path: '/groups/:group/name',
    handle: async ({ parley, params, req }) => groupInfo(await parley.groups.rename(params.group, stringField(await readJson(req), 'name')))
  },
  { method: 'POST', path: '/groups/:group/read', handle: async ({ parley, params }) => ({ read: await parley.groupMessaging.markRead(params.group) }) },
  { method: 'POST', path: '/groups/:group/leave', handle: async ({ parley, params }) => groupInfo(await parley.groups.leave(params.group)) },
  {
    method: 'POST',
    path: '/groups/:group/messages',
    handle: async ({ parley, params, req }) => {
      const body = await readJson(req)
      const replyTo = body.replyTo != null ? { replyTo: refField(body, 'replyTo') } : {}
      const { message, delivered, members } = await parley.groupMessaging.send(params.group, stringField(body, 'text'), replyTo)
      return { ...publicMessage(message), delivered, members }
    }
  },
  {
    method: 'POST',
    path: '/groups/:group/files',
    handle: async ({ parley, params, req }) => {
      if (parley.files == null) throw new NotFoundError('this node does not share files')
      const sent = await parley.files.sendToGroup(params.group, stringField(await readJson(req), 'path'))
      return { ...sent, message: publicMessage(sent.message) }
    }
  },
  {
    method: 'POST',
    path: '/groups/:group/reactions',
    handle: async ({ parley, params, req }) => {
      const body = await readJson(req)
      return publicMessage(await parley.groupMessaging.react(params.group, refField(body, 'message'), stringField(body, 'emoji')))
    }
  },
  {
    method: 'POST',
    path: '/groups/:group/messages/:id/edit',
    handle: async ({ parley, params, req }) => publicMessage(await parley.groupMessaging.edit(params.group, params.id, stringField(await readJson(req), 'text')))
  },
  {
    method: 'POST',
    path: '/groups/:group/messages/:id/delete',
    handle: async ({ parley, params }) => publicMessage(await parley.groupMessaging.deleteForEveryone(params.group, params.id))
  },
  {
    method: 'GET',
    path: '/groups/:group/messages',
    handle: async ({ parley, params }) => {
      const group = await parley.groups.get(params.group)
      const self = parley.peerId.toString()
      return (await parley.messenger.history({ conversation: group.id })).map(m => ({ ...publicMessage(m), sender: m.direction === 'out' ? self : m.peer }))
    }
  }
]

/** `{"peers": [PEER, ...]}`: addresses, invites or contact names, resolved */
async function peersField (parley: Parley, body: Record<string, unknown>): Promise<PeerId[]> {
  const peers = body.peers
  if (!Array.isArray(peers) || peers.length === 0 || !peers.every(p => typeof p === 'string')) throw new BadRequestError('"peers" must be a non-empty list of peers')
  return Promise.all(peers.map(async p => parley.messenger.resolvePeer(p)))
}
