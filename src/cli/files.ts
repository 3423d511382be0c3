/**
 * `parley send-file` and `parley files`: file sharing through the running daemon, with a
 * progress bar on a terminal.
 */
import { resolve } from 'node:path'
import { EXIT_FAILURE, formatBytes, printJson } from './output.ts'
import type { ControlClient } from '../control/client.ts'
import type { TransferInfo } from '../events/public.ts'

const FINAL = new Set<TransferInfo['state']>(['done', 'cancelled', 'failed'])

export interface SendFileOptions {
  json?: boolean
  /** Return once the offer is sent, without waiting for the recipient to fetch the file */
  wait?: boolean
}

/**
 * Offers the file and, unless told not to wait, follows the transfer until the recipient has it
 * (a progress bar on stderr when it is a terminal). Returns at once when the recipient is
 * offline: the offer waits in its mailbox and the daemon serves the file when it comes.
 */
export async function sendFile (client: ControlClient, peer: string, path: string, options: SendFileOptions): Promise<void> {
  const stop = new AbortController()
  let latest: TransferInfo | undefined
  let finished!: () => void
  const ended = new Promise<void>(resolve => { finished = resolve })
  let id: string | undefined
  const early: TransferInfo[] = []
  const bar = process.stderr.isTTY && options.json !== true ? new ProgressBar() : undefined
  const onTransfer = (t: TransferInfo): void => {
    if (id == null) { early.push(t); return }
    if (t.id !== id) return
    latest = t
    bar?.draw(t)
    if (FINAL.has(t.state)) finished()
  }
  let subscribed!: () => void
  const ready = new Promise<void>(resolve => { subscribed = resolve })
  const listening = options.wait === false
    ? Promise.resolve()
    : client.events(e => { if (e.type === 'transfer') onTransfer(e.detail) }, { signal: stop.signal, ready: subscribed })
  if (options.wait !== false) await ready
  try {
    const { transfer, message } = await client.sendFile(peer, resolve(path))
    id = transfer.id
    latest = transfer
    for (const t of early) onTransfer(t)
    const reached = message.status === 'delivered'
    if (options.json !== true) {
      console.log(`Offered ${transfer.name} (${formatBytes(transfer.size)}) to ${transfer.peer}: ${message.status}${message.error != null ? ` (${message.error})` : ''}`)
      if (!reached) console.log('The recipient is not reachable now; the offer waits for them, and your daemon sends the file when they fetch it (parley files).')
    }
    if (message.status === 'failed') process.exitCode = EXIT_FAILURE
    if (options.wait !== false && reached && !FINAL.has(latest.state)) {
      if (options.json !== true) console.log('Waiting for them to fetch it (Ctrl-C stops waiting; the offer stands).')
      await Promise.race([ended, new Promise<void>(resolve => { process.once('SIGINT', resolve) })])
    }
    bar?.end()
    const final = await client.file(transfer.id).catch(() => latest!)
    if (options.json === true) printJson({ ...final, message: { id: message.id, status: message.status } })
    else if (FINAL.has(final.state)) console.log(`${final.name}: ${final.state}${final.error != null ? ` (${final.error})` : ''}`)
    if (final.state === 'failed' || final.state === 'cancelled') process.exitCode = EXIT_FAILURE
  } finally {
    stop.abort()
    await listening.catch(() => {})
  }
}

/** `parley files`: every transfer, one line each (or `--json`) */
export async function listFiles (client: ControlClient, json: boolean): Promise<void> {
  const list = await client.files()
  if (json) {
    printJson(list)
    return
  }
  if (list.length === 0) {
    console.log('No file transfers yet: parley send-file PEER PATH')
    return
  }
  for (const t of list) {
    const progress = t.state === 'done' ? '' : ` ${t.size > 0 ? Math.floor(t.bytes * 100 / t.size) : 100}%`
    console.log(`${t.id}  ${t.direction === 'in' ? 'from' : 'to  '} ${t.peer}  ${t.name} (${formatBytes(t.size)})  ${t.state}${progress}${t.error != null ? ` (${t.error})` : ''}${t.path !== '' ? `  ${t.path}` : ''}`)
  }
}

/** The full id of the one transfer whose id starts with `prefix` */
export async function transferId (client: ControlClient, prefix: string): Promise<string> {
  const matches = (await client.files()).filter(t => t.id.startsWith(prefix.toLowerCase()))
  if (matches.length === 1) return matches[0].id
  // the daemon's answer names the problem (unknown id) the same way for any caller
  return prefix
}

/** One line redrawn in place on a terminal: `[#####.....]  45%  1.2 GiB of 2.6 GiB  310 MiB/s` */
class ProgressBar {
  private readonly started = Date.now()
  private startBytes?: number

  draw (t: TransferInfo): void {
    this.startBytes ??= t.bytes
    const fraction = t.size > 0 ? Math.min(1, t.bytes / t.size) : 1
    const width = 30
    const filled = Math.round(fraction * width)
    const seconds = (Date.now() - this.started) / 1_000
    const rate = seconds > 0.5 ? `  ${formatBytes(Math.max(0, t.bytes - this.startBytes) / seconds)}/s` : ''
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ${formatBytes(t.bytes)} of ${formatBytes(t.size)}${rate}  ${t.state}\x1b[K`)
  }

  end (): void {
    process.stderr.write('\n')
  }
}
