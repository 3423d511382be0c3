/**
 * Reading files in browsers (see `file-source.ts`): paths name files in the origin private file
 * system (`opfs.ts`). A source reads a snapshot (`File`) slice by slice, never the whole file.
 */
import { joinPath, opfsFile, pathParts } from './opfs.ts'
import type { FileInfo, FileSource } from './file-source.ts'

export type { FileInfo, FileSource } from './file-source.ts'

export async function openFileSource (path: string): Promise<FileSource> {
  const file = await (await opfsFile(path)).getFile()
  return {
    read: async (buffer, position) => {
      const bytes = new Uint8Array(await file.slice(position, position + buffer.byteLength).arrayBuffer())
      buffer.set(bytes)
      return bytes.byteLength
    },
    close: async () => {}
  }
}

export async function fileInfo (path: string): Promise<FileInfo> {
  try {
    const file = await (await opfsFile(path)).getFile()
    return { isFile: true, size: file.size, modifiedAt: file.lastModified }
  } catch (err: any) {
    if (err.name === 'TypeMismatchError') return { isFile: false, size: 0, modifiedAt: 0 }
    throw err
  }
}

/** The file as the browser's own disk-backed `File` (for an object URL, a download link) */
export async function fileBlob (path: string, type = ''): Promise<Blob> {
  const file = await (await opfsFile(path)).getFile()
  return type === '' || file.type === type ? file : file.slice(0, file.size, type)
}

export function fullPath (path: string): string {
  return joinPath(path)
}

export function fileName (path: string): string {
  return pathParts(path).at(-1) ?? ''
}
