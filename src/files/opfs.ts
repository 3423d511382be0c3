/**
 * Paths in the browser's origin private file system (OPFS), for the `*.browser.ts` file modules
 * and the OPFS worker: `/`-separated, relative to the origin's root, like `parley/downloads/a.pdf`.
 */

/** A path's components; `.` and empty ones dropped */
export function pathParts (path: string): string[] {
  const parts = path.split('/').filter(p => p !== '' && p !== '.')
  if (parts.includes('..')) throw new TypeError(`"${path}": paths in the origin private file system cannot go up with ..`)
  return parts
}

/** Joins path components into a normalised path */
export function joinPath (...paths: string[]): string {
  return paths.flatMap(pathParts).join('/')
}

/** The directory at `parts` (created along the way if `create`) */
export async function opfsDirectory (parts: string[], create = false): Promise<FileSystemDirectoryHandle> {
  let dir = await navigator.storage.getDirectory()
  for (const part of parts) dir = await dir.getDirectoryHandle(part, { create })
  return dir
}

/**
 * The file at `path`; with `create`, created if missing (its folder must exist).
 *
 * @throws {DOMException} `NotFoundError` when missing, `TypeMismatchError` when a directory
 */
export async function opfsFile (path: string, create = false): Promise<FileSystemFileHandle> {
  const parts = pathParts(path)
  const name = parts.pop()
  if (name == null) throw new TypeError('a file path needs a name')
  return (await opfsDirectory(parts)).getFileHandle(name, { create })
}

/** What the OPFS worker is asked (one message per call, answered in order) */
export type OpfsRequest =
  | { call: number, op: 'open', path: string }
  | { call: number, op: 'write', handle: number, position: number, data: Uint8Array }
  | { call: number, op: 'flush' | 'close', handle: number }

/** The worker's answer to call `call`: a result, or the error's name and message */
export type OpfsResponse =
  | { call: number, result: number }
  | { call: number, error: { name: string, message: string } }
