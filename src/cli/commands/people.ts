import { action, clientFor, wantsJson } from '../context.ts'
import { formatTime, printJson, qrCode, verificationLine } from '../output.ts'
import { Option } from 'commander'
import type { Command } from 'commander'

/** `requests`, `accept`, `block`, `unblock`, `verify`, `contacts` */
export function registerPeopleCommands (program: Command): void {
  program.command('requests')
    .description('people who wrote to you without being accepted: accept or block each')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const requests = await clientFor(command).requests()
      if (opts.json === true) printJson(requests)
      else if (requests.length === 0) console.log('No message requests.')
      else for (const r of requests) console.log(`${r.peerId}  (last message ${formatTime(r.at)}): parley accept ${r.peerId} | parley block ${r.peerId}`)
    }))

  program.command('accept')
    .description('accept messages from PEER (a message request); --name also saves it as a contact')
    .argument('<peer>')
    .option('--name <name>', 'save as a contact under this name')
    .action(action(async (peer: string, opts, command: Command) => {
      const client = clientFor(command)
      await client.accept(peer)
      if (opts.name != null) await client.addContact(peer, opts.name)
    }))

  program.command('block')
    .description('refuse everything from PEER from now on')
    .argument('<peer>')
    .action(action(async (peer: string, _opts, command: Command) => {
      await clientFor(command).block(peer)
    }))

  program.command('unblock')
    .description('stop refusing PEER (its messages are requests again)')
    .argument('<peer>')
    .action(action(async (peer: string, _opts, command: Command) => {
      await clientFor(command).unblock(peer)
    }))

  program.command('verify')
    .description('print the safety number to compare with PEER in person (and as a QR code); --mark once it matched')
    .argument('<peer>')
    .option('--mark', 'mark it as compared: it matched on both devices')
    .addOption(new Option('--clear', 'clear that mark').conflicts('mark'))
    .option('--json', 'print JSON')
    .action(action(async (peer: string, opts, command: Command) => {
      const client = clientFor(command)
      const result = opts.mark === true || opts.clear === true ? await client.setVerified(peer, opts.mark === true) : await client.safetyNumber(peer)
      if (opts.json === true) {
        printJson(result)
        return
      }
      const groups = result.safetyNumber.split(' ')
      console.log(`Safety number with ${result.peer}:\n`)
      for (let row = 0; row < 3; row++) console.log(`  ${groups.slice(row * 4, row * 4 + 4).join('  ')}`)
      console.log(`\n${verificationLine(result, `parley verify ${peer} --mark`)}`)
      if (!result.verified) console.log(`It is the same on both devices if nobody is in between. Or scan:\n${await qrCode(result.safetyNumber.replaceAll(' ', ''))}`)
    }))

  const contacts = program.command('contacts')
    .description('list contacts')
    .option('--json', 'print JSON')
    .action(action(async (opts, command: Command) => {
      const list = await clientFor(command).contacts()
      if (opts.json === true) printJson(list)
      else for (const c of list) console.log(`${c.name}\t${c.peerId}`)
    }))

  contacts.command('add')
    .description('save PEER under NAME')
    .argument('<peer>')
    .argument('<name>')
    .option('--json', 'print JSON')
    .action(action(async (peer: string, name: string, opts, command: Command) => {
      const contact = await clientFor(command).addContact(peer, name)
      if (wantsJson(opts, command)) printJson(contact)
      else console.log(`Saved ${contact.name} (${contact.peerId})`)
    }))

  contacts.command('remove')
    .description('forget a contact (by name or address)')
    .argument('<peer>')
    .action(action(async (peer: string, _opts, command: Command) => {
      await clientFor(command).removeContact(peer)
    }))
}
