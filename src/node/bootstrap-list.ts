import { readFile } from 'node:fs/promises'
import { multiaddr } from '@multiformats/multiaddr'
import { BootstrapListError } from './errors.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The only bootstrap list format version this code understands */
export const BOOTSTRAP_LIST_VERSION = 1

/**
 * The bootstrap list file (`bootstrap-nodes.json`):
 *
 * ```json
 * { "version": 1, "nodes": [ { "multiaddr": "/dns4/relay.example.org/tcp/4001/p2p/12D3Koo...",
 *                              "operator": "who runs it", "note": "anything" } ] }
 * ```
 *
 * Every `multiaddr` must end with `/p2p/<peer id>`, so a bootstrap node is authenticated by its
 * key and not just by whoever answers at that address. Unknown fields are ignored.
 */
export interface BootstrapListFile {
  version: typeof BOOTSTRAP_LIST_VERSION
  nodes: BootstrapListEntry[]
}

export interface BootstrapListEntry {
  multiaddr: string
  /** Who runs the node, for people reviewing the list */
  operator?: string
  note?: string
}

/**
 * Reads and validates a bootstrap list file (see `BootstrapListFile`).
 *
 * @throws BootstrapListError when the file is missing, unreadable, not JSON or not a valid list
 */
export async function loadBootstrapList (path: string): Promise<Multiaddr[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file: ${messageOf(err)}`
    throw new BootstrapListError(`${path}: ${why} (expected a bootstrap list: { "version": 1, "nodes": [...] })`, { cause: err })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new BootstrapListError(`${path}: not valid JSON: ${messageOf(err)}`, { cause: err })
  }
  return parseBootstrapList(json, path)
}

/**
 * Validates a parsed bootstrap list (see `BootstrapListFile`) and returns its addresses in order.
 * `source` names the list in error messages (usually the file path).
 *
 * @throws BootstrapListError naming `source` and, for a bad entry, its index and value
 */
export function parseBootstrapList (json: unknown, source: string): Multiaddr[] {
  if (!isRecord(json)) {
    throw new BootstrapListError(`${source}: expected an object { "version": 1, "nodes": [...] }, got ${describe(json)}`)
  }
  if (json.version !== BOOTSTRAP_LIST_VERSION) {
    throw new BootstrapListError(`${source}: unsupported version ${describe(json.version)}; this version of Parley reads version ${BOOTSTRAP_LIST_VERSION} only`)
  }
  if (!Array.isArray(json.nodes)) {
    throw new BootstrapListError(`${source}: "nodes" must be an array, got ${describe(json.nodes)}`)
  }

  const seen = new Map<string, number>()
  return json.nodes.map((entry: unknown, index: number) => {
    const at = `${source}: nodes[${index}]`
    if (!isRecord(entry)) {
      throw new BootstrapListError(`${at} must be an object with a "multiaddr" string, got ${describe(entry)}`)
    }
    for (const field of ['operator', 'note']) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') {
        throw new BootstrapListError(`${at}.${field} must be a string, got ${describe(entry[field])}`)
      }
    }
    const text = entry.multiaddr
    if (typeof text !== 'string') {
      throw new BootstrapListError(`${at}.multiaddr must be a string, got ${describe(text)}`)
    }

    let ma: Multiaddr
    try {
      ma = multiaddr(text)
    } catch (err) {
      throw new BootstrapListError(`${at}.multiaddr ${describe(text)} is not a valid multiaddr: ${messageOf(err)}`, { cause: err })
    }
    if (ma.getComponents().at(-1)?.name !== 'p2p') {
      throw new BootstrapListError(`${at}.multiaddr ${describe(text)} does not end with /p2p/<peer id>`)
    }

    // compare the canonical form, so "/ip6/0:0::1/..." and "/ip6/::1/..." count as the same
    const key = ma.toString()
    const first = seen.get(key)
    if (first !== undefined) {
      throw new BootstrapListError(`${at}.multiaddr ${describe(text)} duplicates nodes[${first}]`)
    }
    seen.set(key, index)
    return ma
  })
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const MAX_SHOWN_CHARS = 80

/** A value for an error message: JSON, cut short so a huge entry cannot flood the terminal */
function describe (value: unknown): string {
  let shown: string
  try {
    shown = JSON.stringify(value) ?? String(value)
  } catch {
    shown = String(value)
  }
  return shown.length > MAX_SHOWN_CHARS ? `${shown.slice(0, MAX_SHOWN_CHARS)}…` : shown
}

function messageOf (err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
