/**
 * Writing files in browsers (see `partial-file.ts`), in the origin private file system: partial
 * files are written at offsets and flushed by the OPFS worker (`opfs-worker.ts`), the finished
 * file is moved to its name, and the room left is what the browser's quota allows this origin.
 */
import { DISK_MARGIN_BYTES, KEPT_COPY_SUFFIX, OPFS_WORKER_SCRIPT, PARTIAL_DIR, PARTIAL_SUFFIX } from './constants.ts'
import { DiskFullError } from './errors.ts'
import { numberedName } from './names.ts'
import { joinPath, opfsDirectory, opfsFile, pathParts } from './opfs.ts'
import type { OpfsRequest, OpfsResponse } from './opfs.ts'
import type { PartialFile } from './partial-file.ts'

export type { PartialFile } from './partial-file.ts'

type Call = OpfsRequest extends infer R ? R extends unknown ? Omit<R, 'call'> : never : never

/** The one OPFS worker of this page, started on first use */
let worker: Worker | undefined
const pending = new Map<number, { resolve: (result: number) => void, reject: (err: Error) => void }>()
let nextCall = 1

function opfsWorker (): Worker {
  if (worker != null) return worker
  const started = new Worker(new URL(OPFS_WORKER_SCRIPT, import.meta.url), { type: 'module', name: 'parley-opfs' })
  started.onmessage = (evt: MessageEvent<OpfsResponse>) => {
    const res = evt.data
    const waiting = pending.get(res.call)
    pending.delete(res.call)
    if (waiting == null) return
    if ('error' in res) waiting.reject(Object.assign(new Error(res.error.message), { name: res.error.name }))
    else waiting.resolve(res.result)
  }
  started.onerror = (evt) => {
    // the script did not load, or threw: every call waiting fails, the next one starts a new worker
    evt.preventDefault()
    const err = new Error(`the OPFS worker failed: ${evt.message ?? 'it could not be loaded'}`)
    for (const waiting of pending.values()) waiting.reject(err)
    pending.clear()
    started.terminate()
    if (worker === started) worker = undefined
  }
  worker = started
  return started
}

async function call (req: Call, transfer: Transferable[] = []): Promise<number> {
  const target = opfsWorker()
  const id = nextCall++
  return new Promise<number>((resolve, reject) => {
    pending.set(id, { resolve, reject })
    target.postMessage({ ...req, call: id }, transfer)
  })
}

export function partialPath (downloadDir: string, id: string): string {
  return joinPath(downloadDir, PARTIAL_DIR, `${id}${PARTIAL_SUFFIX}`)
}

export function keptCopyPath (downloadDir: string, id: string): string {
  return joinPath(downloadDir, PARTIAL_DIR, `${id}${KEPT_COPY_SUFFIX}`)
}

export async function makePartialDir (downloadDir: string): Promise<void> {
  await opfsDirectory([...pathParts(downloadDir), PARTIAL_DIR], true)
}

export async function listPartialDir (downloadDir: string): Promise<string[]> {
  let dir: FileSystemDirectoryHandle
  try {
    dir = await opfsDirectory([...pathParts(downloadDir), PARTIAL_DIR])
  } catch (err: any) {
    if (err.name === 'NotFoundError') return []
    throw err
  }
  const names: string[] = []
  // async iteration of a directory is in the DOM.AsyncIterable library, not in DOM
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name)
  return names
}

/**
 * Opens `path` (its folder must exist) for writes at offsets through the OPFS worker, created if
 * missing, never truncated. The file is locked to this page until closed.
 */
export async function openPartialFile (path: string): Promise<PartialFile> {
  const handle = await call({ op: 'open', path: joinPath(path) })
  return {
    write: async (data, position) => {
      // a copy goes to the worker (transferred, not cloned again): `data` stays the caller's
      const copy = data.slice()
      try {
        await call({ op: 'write', handle, position, data: copy }, [copy.buffer])
      } catch (err: any) {
        if (err.name === 'QuotaExceededError') throw new DiskFullError(`the browser's storage quota is used up writing ${path}`)
        throw err
      }
    },
    sync: async () => { await call({ op: 'flush', handle }) },
    close: async () => { await call({ op: 'close', handle }) }
  }
}

export async function removeFile (path: string): Promise<void> {
  const parts = pathParts(path)
  const name = parts.pop()!
  try {
    await (await opfsDirectory(parts)).removeEntry(name)
  } catch (err: any) {
    if (err.name !== 'NotFoundError') throw err
  }
}

/** Refuses to start when the origin's quota leaves less than `needed` bytes plus a margin */
export async function checkRoom (_dir: string, needed: number): Promise<void> {
  const { quota, usage } = await navigator.storage.estimate()
  if (quota == null || usage == null) return
  const free = quota - usage
  if (free < needed + DISK_MARGIN_BYTES) {
    throw new DiskFullError(`the download needs ${mib(needed)} MiB more and this browser lets this site store ${mib(free)} MiB more (keeping ${mib(DISK_MARGIN_BYTES)} MiB spare)`)
  }
}

/** Claims run one at a time, so two downloads finishing together cannot both take a free name */
let claiming: Promise<unknown> = Promise.resolve()

/**
 * Moves the finished file `from` into `dir` as `name`, or `name (2)` and so on when taken; an
 * existing file is never replaced.
 */
export async function claimName (dir: string, name: string, from: string): Promise<string> {
  const run = claiming.then(async () => {
    const folder = await opfsDirectory(pathParts(dir), true)
    const file = await opfsFile(from)
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : numberedName(name, n)
      try {
        await folder.getFileHandle(candidate)
        continue // taken
      } catch (err: any) {
        if (err.name === 'TypeMismatchError') continue // a folder of that name
        if (err.name !== 'NotFoundError') throw err
      }
      // `move` is in browsers with the origin private file system, not yet in TypeScript's DOM library
      await (file as unknown as { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> }).move(folder, candidate)
      return joinPath(dir, candidate)
    }
  })
  claiming = run.catch(() => {})
  return run
}

function mib (bytes: number): string {
  return (bytes / 1_048_576).toFixed(1)
}
