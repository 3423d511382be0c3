import { readFile } from 'node:fs/promises'
import { InvalidIceServersError, parseIceServers } from '../node/ice-servers.ts'

/** The longest file of ICE servers read: 16 servers with long credentials fit many times over */
const MAX_FILE_BYTES = 64 * 1024

/**
 * Reads `--ice-servers FILE`: a JSON array of STUN/TURN servers, as a page's config.json
 * `iceServers` (`[{ "urls": ["turn:relay.example.org:3479"], "username": "...", "credential": "..." }]`)
 *
 * @throws {InvalidIceServersError} naming the file and what is wrong with it
 */
export async function readIceServersFile (file: string): Promise<RTCIceServer[]> {
  let text: string
  try {
    const bytes = await readFile(file)
    if (bytes.byteLength > MAX_FILE_BYTES) throw new Error(`it is over ${MAX_FILE_BYTES} bytes`)
    text = bytes.toString('utf8')
  } catch (err: any) {
    throw new InvalidIceServersError(`--ice-servers ${file}: cannot be read (${err.message})`)
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err: any) {
    throw new InvalidIceServersError(`--ice-servers ${file}: not JSON (${err.message})`)
  }
  const parsed = parseIceServers(raw)
  if ('invalid' in parsed) throw new InvalidIceServersError(`--ice-servers ${file}: ${parsed.invalid}`)
  return parsed.servers
}
