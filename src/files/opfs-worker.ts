/**
 * The OPFS worker (browsers; built on its own as `opfs-worker.js`): opens files of the origin
 * private file system with `FileSystemSyncAccessHandle`, which only a dedicated worker may, to
 * write them at offsets and flush them to disk. `partial-file.browser.ts` is its only client.
 * Messages are handled one at a time in arrival order, so a flush covers every write sent
 * before it.
 */
import { opfsFile } from './opfs.ts'
import type { OpfsRequest, OpfsResponse } from './opfs.ts'

/** The parts of `FileSystemSyncAccessHandle` used here (not in TypeScript's DOM library) */
interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number
  flush(): void
  close(): void
}

interface WorkerScope {
  onmessage: ((evt: MessageEvent<OpfsRequest>) => void) | null
  postMessage(message: OpfsResponse): void
}

const scope = globalThis as unknown as WorkerScope
const handles = new Map<number, SyncAccessHandle>()
let nextHandle = 1
let queue = Promise.resolve()

async function run (req: OpfsRequest): Promise<number> {
  if (req.op === 'open') {
    const file = await opfsFile(req.path, true)
    const handle = await (file as unknown as { createSyncAccessHandle(): Promise<SyncAccessHandle> }).createSyncAccessHandle()
    handles.set(nextHandle, handle)
    return nextHandle++
  }
  const handle = handles.get(req.handle)
  if (handle == null) throw new Error(`no open file ${req.handle}`)
  switch (req.op) {
    case 'write': {
      let written = 0
      while (written < req.data.byteLength) {
        const n = handle.write(req.data.subarray(written), { at: req.position + written })
        if (n <= 0) throw new Error('the write made no progress')
        written += n
      }
      return written
    }
    case 'flush':
      handle.flush()
      return 0
    case 'close':
      handles.delete(req.handle)
      handle.close()
      return 0
  }
}

scope.onmessage = (evt) => {
  const req = evt.data
  // one at a time: an open awaits, and the writes after it must not overtake it
  queue = queue.then(async () => {
    try {
      scope.postMessage({ call: req.call, result: await run(req) })
    } catch (err: any) {
      scope.postMessage({ call: req.call, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } })
    }
  })
}
