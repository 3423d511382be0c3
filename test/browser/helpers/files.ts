import type { Parley } from '../../../src/parley.ts'
import type { TransferInfo } from '../../../src/events/public.ts'
import type { FileResolver } from '../../../src/protocols/file/index.ts'
import type { TransferRecord } from '../../../src/storage/types.ts'
import type { Page } from 'playwright-core'
import { waitForEvent } from '../../helpers/events.ts'

/** Resolves when `node`'s transfer `id` is in `state` (now or later) */
export async function nodeTransferState (node: Parley, id: string, state: TransferRecord['state'], timeoutMs = 60_000): Promise<TransferRecord> {
  const seen = waitForEvent<TransferRecord>(node.files!, 'transfer', t => t.id === id && t.state === state, timeoutMs)
  const now = await node.files!.get(id).catch(() => undefined)
  if (now?.state === state) {
    seen.catch(() => {})
    return now as TransferRecord
  }
  return seen
}

/** Resolves when the page's transfer `id` is in `state`, from its `transfer` events or its current record */
export async function pageTransferState (page: Page, id: string, state: TransferRecord['state'], timeoutMs = 60_000): Promise<TransferInfo> {
  return page.evaluate(async ({ id, state, timeoutMs }) => {
    const files = window.parley!.files!
    return new Promise<TransferInfo>((resolve, reject) => {
      const finish = (t: TransferInfo): void => {
        clearTimeout(timer)
        files.removeEventListener('transfer', listener)
        resolve(t)
      }
      const listener = (evt: CustomEvent<TransferInfo>): void => { if (evt.detail.id === id && evt.detail.state === state) finish(evt.detail) }
      const timer = setTimeout(() => {
        files.removeEventListener('transfer', listener)
        reject(new Error(`transfer ${id} not ${state} after ${timeoutMs} ms`))
      }, timeoutMs)
      files.addEventListener('transfer', listener)
      files.get(id).then(t => { if (t.state === state) finish(t) }, () => {})
    })
  }, { id, state, timeoutMs })
}


/** The names in a folder of the page's origin private file system (none if it does not exist) */
export async function opfsNames (page: Page, path: string): Promise<string[]> {
  return page.evaluate(async (path) => {
    let dir = await navigator.storage.getDirectory()
    try {
      for (const part of path.split('/')) dir = await dir.getDirectoryHandle(part)
    } catch {
      return []
    }
    const names: string[] = []
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name)
    return names
  }, path)
}

/** SHA-256 (hex), in the page with crypto.subtle, of what the save link of transfer `id` points at */
export async function savedLinkSha256 (page: Page, id: string): Promise<string> {
  return page.evaluate(async (id) => {
    const link = document.querySelector<HTMLAnchorElement>(`.file[data-transfer="${id}"] a.save[href^="blob:"]`)
    if (link == null) throw new Error(`no save link for ${id}`)
    const bytes = await (await fetch(link.href)).arrayBuffer()
    return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map(b => b.toString(16).padStart(2, '0')).join('')
  }, id)
}

export interface GatedSender {
  /** Chunk indexes served, and how often, by streams opened in phase 1 (`[0]`) and phase 2 (`[1]`) */
  served: [Map<number, number>, Map<number, number>]
  /** Resolves when a stream asks for chunk `gateAt` (or later) while the gate is shut */
  blocked: Promise<void>
  /** Streams opened from now on count as phase 2 */
  nextPhase(): void
  /** Lets every held and later chunk through */
  open(): void
}

/**
 * Wraps `node`'s file resolver as test/integration/files.spec.ts's `countServed` does: counts each
 * chunk a stream serves, by phase, and holds chunks from `gateAt` on until `open()`, so a
 * receiver is stopped mid-way at a known point instead of racing the transfer's end.
 */
export function gateSender (node: Parley, gateAt: number): GatedSender {
  const files = node.files as unknown as { resolve: FileResolver }
  const real = files.resolve.bind(node.files)
  const served: GatedSender['served'] = [new Map(), new Map()]
  let phase = 0
  const blocked = Promise.withResolvers<void>()
  const gate = Promise.withResolvers<void>()
  node.node.services.file.setResolver(async (fileId, from, options) => {
    const source = await real(fileId, from, options)
    const counts = served[phase]
    return {
      ...source,
      chunk: async (index, opts) => {
        counts.set(index, (counts.get(index) ?? 0) + 1)
        if (index >= gateAt) {
          blocked.resolve()
          await gate.promise
        }
        return source.chunk(index, opts)
      }
    }
  })
  return {
    served,
    blocked: blocked.promise,
    nextPhase: () => { phase = 1 },
    open: () => { gate.resolve() }
  }
}
