import { readFile, writeFile } from 'node:fs/promises'
import { Command, InvalidArgumentError, Option } from 'commander'
import { collectBackup, exportBackup, readBackup, restoreBackup } from '../backup/index.ts'
import { defaultProvider } from '../crypto/provider/index.ts'
import { readPassphrase } from './passphrase.ts'
import { changePassphrase } from '../storage/data-dir.ts'
import { PassphraseRequiredError } from '../storage/errors.ts'
import { hasKeyring, unlockKeyring } from '../storage/keyring.ts'
import { formatInvite } from '../identity/invite.ts'
import { loadIdentity, loadOrCreateIdentity, resolveDataDir } from '../identity/index.ts'
import { ControlClient } from '../control/client.ts'
import { runChatUi } from './chat-ui.ts'
import { listFiles, sendFile, transferId } from './files.ts'
import { onAddressChange } from './address-events.ts'
import { startDaemon, untilSignal } from './daemon.ts'
import { EXIT_FAILURE, exitCodeFor, formatTime, printError, printJson, qrCode } from './output.ts'
import { shownText } from '../messenger/shown-text.ts'
import type { DaemonOptions } from './daemon.ts'

const collect = (value: string, previous: string[] = []): string[] => [...previous, value]

const program = new Command('parley')
  .description('Parley: a serverless, end-to-end encrypted messenger. Your address is your key.')
  .option('--data <dir>', 'data directory (default: $PARLEY_HOME or ~/.parley)')
  .showHelpAfterError()

function dataDir (command: Command): string {
  return resolveDataDir(command.optsWithGlobals().data)
}

/** Runs a command body, turning a thrown error into a message and an exit code */
function action<A extends unknown[]> (fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args[args.length - 1] as Command
    try {
      await fn(...args)
    } catch (err: any) {
      printError(err, command.opts().json === true)
      process.exitCode = exitCodeFor(err)
    }
  }
}

/** The data directory's passphrase, asked for only when it is encrypted */
async function passphraseIfNeeded (dir: string, file?: string): Promise<string | undefined> {
  return await hasKeyring(dir) ? readPassphrase({ file, prompt: 'Passphrase: ' }) : undefined
}

async function daemonOptions (command: Command): Promise<DaemonOptions> {
  const o = command.opts()
  const dir = dataDir(command)
  const passphrase = await passphraseIfNeeded(dir, o.passphraseFile)
  return {
    ...(passphrase != null ? { passphrase } : {}),
    dataDir: dataDir(command),
    listen: o.listen,
    announce: o.announce,
    bootstrap: o.bootstrap,
    bootstrapList: o.bootstrapList,
    relay: o.relay,
    lan: o.lan,
    mdns: o.mdns,
    ...(o.mailboxBudget != null ? { mailboxBudgetMiB: o.mailboxBudget } : {}),
    ...(o.stunPort != null ? { stunPort: o.stunPort } : {}),
    ...(o.downloads != null ? { downloadDir: o.downloads } : {}),
    ...(o.autoDownload != null ? { autoDownloadMiB: o.autoDownload } : {})
  }
}

function udpPort (value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('a UDP port, 1 to 65535, or 0')
  return n
}

function budget (value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('a whole number of MiB, 0 or more')
  return n
}

/** How a message's delivery state reads: `stored` says how many storers hold it */
function statusText (m: { status: string, replicas?: number, error?: string }): string {
  const replicas = m.status === 'stored' && m.replicas != null ? ` with ${m.replicas} mailbox replica${m.replicas === 1 ? '' : 's'}` : ''
  return `${m.status}${replicas}${m.error != null ? `: ${m.error}` : ''}`
}

function withDaemonOptions (command: Command): Command {
  return command
    .option('--listen <multiaddr>', 'listen on this address (repeatable)', collect)
    .option('--announce <multiaddr>', 'announce this address instead of the listening ones (repeatable)', collect)
    .option('--bootstrap <multiaddr>', 'bootstrap node to add to bootstrap-nodes.json (repeatable)', collect)
    .option('--bootstrap-list <file>', 'read the bootstrap list from this file instead of bootstrap-nodes.json')
    .option('--relay', 'run as a bootstrap/relay node: DHT server, circuit relay, WebSockets')
    .option('--lan', 'allow private and loopback addresses (on by default when every bootstrap node is local, or a user node has none)')
    .option('--mdns', 'announce this node to the local network and find peers there by multicast DNS (default: in LAN mode only)')
    .option('--no-mdns', 'never use multicast DNS')
    .option('--stun-port <port>', 'relays: answer STUN on this UDP port, so users behind NATs can connect directly (default: 3478; 0: never)', udpPort)
    .option('--mailbox-budget <MiB>', 'hold offline peers\' mail up to this many MiB (relays: 1024 by default; 0: never)', budget)
    .option('--passphrase-file <file>', 'the passphrase of an encrypted data directory (else $PARLEY_PASSPHRASE, else a prompt)')
    .option('--downloads <dir>', 'save received files here (default: DATA/downloads)')
    .option('--auto-download <MiB>', 'download a contact\'s file at once up to this many MiB; larger ones wait for "files resume" (default: 2048)', budget)
}

program.command('init')
  .description('create the identity if missing and print it')
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    const dir = dataDir(command)
    const { peerId, created } = await loadOrCreateIdentity(dir)
    const invite = formatInvite(peerId)
    if (opts.json === true) {
      printJson({ peerId: peerId.toString(), invite, created, dataDir: dir })
      return
    }
    console.log(`${created ? 'Created' : 'Loaded'} identity in ${dir}`)
    console.log(`address: ${peerId.toString()}\ninvite:  ${invite}\n${await qrCode(invite)}`)
  }))

program.command('id')
  .description("print this node's address, and the running daemon's multiaddrs")
  .option('--json', 'print JSON')
  .option('--passphrase-file <file>', 'for an encrypted data directory when no daemon runs')
  .action(action(async (opts, command: Command) => {
    const dir = dataDir(command)
    let peerId: string
    let addresses: string[] = []
    try {
      const running = await new ControlClient(dir).id()
      peerId = running.peerId
      addresses = running.addresses
    } catch (err: any) {
      if (err.name !== 'DaemonNotRunningError') throw err
      const passphrase = await passphraseIfNeeded(dir, opts.passphraseFile)
      const dataKey = passphrase != null ? await unlockKeyring(dir, passphrase) : undefined
      peerId = (await loadIdentity(dir, dataKey != null ? { dataKey } : {})).peerId.toString()
    }
    if (opts.json === true) {
      printJson({ peerId, addresses })
      return
    }
    console.log(`${peerId}\n${formatInvite(peerId)}`)
    console.log(addresses.length === 0 ? '(no daemon running)' : addresses.join('\n'))
  }))

withDaemonOptions(program.command('daemon'))
  .description('run the node in the foreground until SIGINT/SIGTERM')
  .option('--json', 'print the ready line as JSON')
  .action(action(async (opts, command: Command) => {
    // listening before anything else: until a SIGTERM listener exists, Node's own handler ends
    // the process at once (killed by the signal, no clean stop), and a service manager may stop
    // a daemon right after its ready line; one stopped while it starts stops once it is up
    const signalled = untilSignal()
    const daemon = await startDaemon(await daemonOptions(command))
    const { parley } = daemon
    const info = {
      event: 'ready',
      peerId: parley.peerId.toString(),
      invite: formatInvite(parley.peerId),
      addresses: parley.addresses().map(String),
      control: daemon.control.path,
      relay: opts.relay === true,
      lan: daemon.lan,
      mdns: daemon.mdns,
      mode: daemon.mode
    }
    if (opts.json === true) {
      printJson(info)
      // a JSON-lines log of who connects, for scripts that wait for a peer
      parley.node.addEventListener('peer:identify', evt => {
        printJson({ event: 'peer:identify', peerId: evt.detail.peerId.toString(), listenAddrs: evt.detail.listenAddrs.map(String) })
      })
      // relayed (limited) or direct: what hole punching turned a relayed connection into
      parley.node.addEventListener('connection:open', evt => {
        const conn = evt.detail
        printJson({ event: 'connection:open', peerId: conn.remotePeer.toString(), address: conn.remoteAddr.toString(), limited: conn.limits != null })
      })
      parley.node.addEventListener('peer:disconnect', evt => {
        printJson({ event: 'peer:disconnect', peerId: evt.detail.toString() })
      })
      // a relay reservation, an address confirmed by autonat: what peers can now reach
      onAddressChange(parley.node, info.addresses, addresses => { printJson({ event: 'addresses', addresses }) })
    } else {
      console.log(`Parley ${info.relay ? 'relay' : 'node'} ${info.peerId}\n${info.mode}`)
      console.log(`invite:  ${info.invite}\ncontrol: ${info.control}\nlistening on:\n${info.addresses.map(a => `  ${a}`).join('\n')}`)
    }
    const signal = await signalled
    if (opts.json !== true) console.log(`${signal}: shutting down`)
    await daemon.stop()
  }))

withDaemonOptions(program.command('start'))
  .description('run the node with the interactive chat (what `npm start` runs)')
  .action(action(async (_opts, command: Command) => {
    const dir = dataDir(command)
    const client = new ControlClient(dir)
    const attached = await client.id().then(() => true, (err: any) => {
      if (err.name === 'DaemonNotRunningError') return false
      throw err
    })
    const daemon = attached ? undefined : await startDaemon(await daemonOptions(command))
    const id = await client.id()
    console.log(`Parley ${attached ? '(attached to the running daemon) ' : ''}${id.peerId}`)
    if (daemon != null) console.log(daemon.mode)
    console.log(`Share your invite: ${id.invite}\n${await qrCode(id.invite)}`)
    const stop = new AbortController()
    void untilSignal().then(() => { stop.abort() })
    await runChatUi(client, { input: process.stdin, output: process.stdout, signal: stop.signal })
    if (daemon != null) {
      console.log('Shutting down')
      await daemon.stop()
    }
  }))

program.command('chat')
  .description('open the interactive chat on the running daemon')
  .action(action(async (_opts, command: Command) => {
    const client = new ControlClient(dataDir(command))
    await client.id()
    const stop = new AbortController()
    void untilSignal().then(() => { stop.abort() })
    await runChatUi(client, { input: process.stdin, output: process.stdout, signal: stop.signal })
  }))

program.command('send')
  .description('send TEXT to PEER (an address, parley:// invite or contact name) via the running daemon')
  .argument('<peer>')
  .argument('<text>')
  .option('--json', 'print JSON')
  .action(action(async (peer: string, text: string, opts, command: Command) => {
    const sent = await new ControlClient(dataDir(command)).send(peer, text)
    if (opts.json === true) printJson({ id: sent.id, status: sent.status, ...(sent.replicas != null ? { replicas: sent.replicas } : {}), ...(sent.error != null ? { error: sent.error } : {}) })
    else console.log(`${sent.id} ${statusText(sent)}`)
    if (sent.status === 'failed') process.exitCode = EXIT_FAILURE
  }))

program.command('messages')
  .description('message history, oldest first')
  .option('--peer <peer>', 'only the conversation with PEER')
  .option('--limit <n>', 'only the last N', (v: string) => Number(v))
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    const messages = await new ControlClient(dataDir(command)).messages({ peer: opts.peer, limit: opts.limit })
    if (opts.json === true) {
      printJson(messages.map(({ id, peer, direction, text, timestamp, status, replicas, unsupported }) => ({ id, peer, direction, text, timestamp, status, ...(replicas != null ? { replicas } : {}), ...(unsupported === true ? { unsupported } : {}) })))
      return
    }
    for (const m of messages) {
      console.log(`[${formatTime(m.timestamp)}] ${m.direction === 'in' ? '<' : '>'} ${m.peer}: ${shownText(m)}${m.direction === 'out' ? `  (${statusText(m)})` : ''}`)
    }
  }))

program.command('requests')
  .description('people who wrote to you without being accepted: accept or block each')
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    const requests = await new ControlClient(dataDir(command)).requests()
    if (opts.json === true) printJson(requests)
    else if (requests.length === 0) console.log('No message requests.')
    else for (const r of requests) console.log(`${r.peerId}  (last message ${formatTime(r.at)}): parley accept ${r.peerId} | parley block ${r.peerId}`)
  }))

program.command('accept')
  .description('accept messages from PEER (a message request); --name also saves it as a contact')
  .argument('<peer>')
  .option('--name <name>', 'save as a contact under this name')
  .action(action(async (peer: string, opts, command: Command) => {
    const client = new ControlClient(dataDir(command))
    await client.accept(peer)
    if (opts.name != null) await client.addContact(peer, opts.name)
  }))

program.command('block')
  .description('refuse everything from PEER from now on')
  .argument('<peer>')
  .action(action(async (peer: string, _opts, command: Command) => {
    await new ControlClient(dataDir(command)).block(peer)
  }))

program.command('unblock')
  .description('stop refusing PEER (its messages are requests again)')
  .argument('<peer>')
  .action(action(async (peer: string, _opts, command: Command) => {
    await new ControlClient(dataDir(command)).unblock(peer)
  }))

program.command('send-file')
  .description('offer the file at PATH to PEER; it moves over a direct connection when they fetch it')
  .argument('<peer>')
  .argument('<path>')
  .option('--json', 'print JSON')
  .option('--no-wait', 'return once the offer is sent, without waiting for the transfer')
  .action(action(async (peer: string, path: string, opts, command: Command) => {
    await sendFile(new ControlClient(dataDir(command)), peer, path, { json: opts.json === true, wait: opts.wait !== false })
  }))

const filesCommand = program.command('files')
  .description('file transfers, both ways: id, peer, name, size, state and path')
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    await listFiles(new ControlClient(dataDir(command)), opts.json === true)
  }))

for (const [verb, description] of [
  ['cancel', 'stop the transfer ID (or the start of it) at both ends'],
  ['resume', 'start the download ID now: one from a message request, a paused one, or one waiting for its sender']
] as const) {
  filesCommand.command(verb)
    .description(description)
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(action(async (prefix: string, opts, command: Command) => {
      const client = new ControlClient(dataDir(command))
      const id = await transferId(client, prefix)
      const transfer = verb === 'cancel' ? await client.cancelFile(id) : await client.resumeFile(id)
      if (opts.json === true || command.parent?.opts().json === true) printJson(transfer)
      else console.log(`${transfer.id} ${transfer.name}: ${transfer.state}`)
    }))
}

const mailboxCommand = program.command('mailbox')
  .description('offline mail: what this node holds for others')
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    const info = await new ControlClient(dataDir(command)).mailbox()
    if (opts.json === true) printJson(info)
    else console.log(info.hosting ? `Holding ${info.items} envelopes (${info.bytes} bytes) for offline peers.` : 'Not holding mail for others (see --mailbox-budget).')
  }))

mailboxCommand.command('check')
  .description('fetch your mail from the mailbox storers now')
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    const result = await new ControlClient(dataDir(command)).checkMailbox()
    // `mailbox` has a --json of its own, which commander lets claim the flag
    if (opts.json === true || command.parent?.opts().json === true) printJson(result)
    else console.log(`Asked ${result.storers} storers: ${result.fetched} new envelopes.`)
  }))

program.command('verify')
  .description('print the safety number to compare with PEER in person (and as a QR code)')
  .argument('<peer>')
  .option('--json', 'print JSON')
  .action(action(async (peer: string, opts, command: Command) => {
    const result = await new ControlClient(dataDir(command)).safetyNumber(peer)
    if (opts.json === true) {
      printJson(result)
      return
    }
    const groups = result.safetyNumber.split(' ')
    console.log(`Safety number with ${result.peer}:\n`)
    for (let row = 0; row < 3; row++) console.log(`  ${groups.slice(row * 4, row * 4 + 4).join('  ')}`)
    console.log(`\nIt is the same on both devices if nobody is in between. Or scan:\n${await qrCode(result.safetyNumber.replaceAll(' ', ''))}`)
  }))

const backup = program.command('backup')
  .description('encrypted backups of your identity, contacts and history')

backup.command('export')
  .description('write an encrypted backup to FILE (through the daemon if it runs)')
  .argument('<file>')
  .option('--passphrase-file <file>', 'read the passphrase from this file (else $PARLEY_PASSPHRASE, else a prompt)')
  .action(action(async (file: string, opts, command: Command) => {
    const dir = dataDir(command)
    const passphrase = await readPassphrase({ file: opts.passphraseFile, prompt: 'Backup passphrase: ', confirm: true })
    const bytes = await new ControlClient(dir).backup(passphrase).catch(async (err: any) => {
      if (err.name !== 'DaemonNotRunningError') throw err
      return exportBackup(defaultProvider(), await collectBackup(dir, await passphraseIfNeeded(dir, opts.passphraseFile)), passphrase)
    })
    // 'wx': never overwrite a file the user may still need
    await writeFile(file, bytes, { mode: 0o600, flag: 'wx' })
    console.log(`Wrote ${file} (${bytes.byteLength} bytes). Keep it and its passphrase safe: it holds your identity.`)
  }))

backup.command('import')
  .description('restore FILE into a data directory that has no identity yet')
  .argument('<file>')
  .option('--passphrase-file <file>', 'read the passphrase from this file (else $PARLEY_PASSPHRASE, else a prompt)')
  .option('--json', 'print JSON')
  .action(action(async (file: string, opts, command: Command) => {
    const dir = dataDir(command)
    const passphrase = await readPassphrase({ file: opts.passphraseFile, prompt: 'Backup passphrase: ' })
    const contents = await readBackup(defaultProvider(), new Uint8Array(await readFile(file)), passphrase)
    const restored = await restoreBackup(dir, contents)
    if (opts.json === true) printJson({ peerId: restored.peerId.toString(), messages: restored.messages, contacts: restored.contacts })
    else console.log(`Restored ${restored.peerId.toString()} into ${dir}: ${restored.messages} messages, ${restored.contacts} contacts. Conversations start new encrypted sessions.`)
  }))

const passphrase = program.command('passphrase')
  .description('encrypt the data directory at rest under a passphrase (run while no daemon runs)')

passphrase.command('set')
  .description('encrypt the data directory under a new passphrase ($PARLEY_NEW_PASSPHRASE or a prompt)')
  .option('--new-passphrase-file <file>', 'read the new passphrase from this file')
  .action(action(async (opts, command: Command) => {
    const dir = dataDir(command)
    const next = await readPassphrase({ file: opts.newPassphraseFile, prompt: 'New passphrase: ', confirm: true, envVar: 'PARLEY_NEW_PASSPHRASE' })
    const result = await changePassphrase(dir, undefined, next)
    console.log(result === 'set' ? `${dir} is now encrypted. Without the passphrase nothing in it can be read: keep a backup.` : `${dir} was already encrypted: use "passphrase change"`)
  }))

passphrase.command('change')
  .description('replace the passphrase ($PARLEY_PASSPHRASE, then $PARLEY_NEW_PASSPHRASE, or prompts)')
  .option('--passphrase-file <file>', 'the current passphrase')
  .option('--new-passphrase-file <file>', 'the new passphrase')
  .action(action(async (opts, command: Command) => {
    const dir = dataDir(command)
    if (!await hasKeyring(dir)) throw new PassphraseRequiredError(`${dir} has no passphrase yet: use "passphrase set"`)
    const current = await readPassphrase({ file: opts.passphraseFile, prompt: 'Current passphrase: ' })
    const next = await readPassphrase({ file: opts.newPassphraseFile, prompt: 'New passphrase: ', confirm: true, envVar: 'PARLEY_NEW_PASSPHRASE' })
    await changePassphrase(dir, current, next)
    console.log('Passphrase changed.')
  }))

passphrase.command('remove')
  .description('decrypt the data directory and drop the passphrase')
  .option('--passphrase-file <file>', 'the current passphrase')
  .action(action(async (opts, command: Command) => {
    const dir = dataDir(command)
    const current = await passphraseIfNeeded(dir, opts.passphraseFile)
    const result = await changePassphrase(dir, current, undefined)
    console.log(result === 'removed' ? `${dir} is no longer encrypted.` : `${dir} had no passphrase.`)
  }))

const contacts = program.command('contacts')
  .description('list contacts')
  .option('--json', 'print JSON')
  .action(action(async (opts, command: Command) => {
    const list = await new ControlClient(dataDir(command)).contacts()
    if (opts.json === true) printJson(list)
    else for (const c of list) console.log(`${c.name}\t${c.peerId}`)
  }))

contacts.command('add')
  .description('save PEER under NAME')
  .argument('<peer>')
  .argument('<name>')
  .option('--json', 'print JSON')
  .action(action(async (peer: string, name: string, opts, command: Command) => {
    const contact = await new ControlClient(dataDir(command)).addContact(peer, name)
    if (opts.json === true) printJson(contact)
    else console.log(`Saved ${contact.name} (${contact.peerId})`)
  }))

contacts.command('remove')
  .description('forget a contact (by name or address)')
  .argument('<peer>')
  .action(action(async (peer: string, _opts, command: Command) => {
    await new ControlClient(dataDir(command)).removeContact(peer)
  }))

program.addOption(new Option('--version').hideHelp())
program.on('option:version', () => { console.log('0.1.0'); process.exit(0) })

await program.parseAsync(process.argv)
