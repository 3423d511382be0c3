import { Command, Option } from 'commander'
import { registerBackupCommands } from './commands/backup.ts'
import { registerCallCommands } from './commands/calls.ts'
import { registerConversationCommands } from './commands/conversations.ts'
import { registerFileCommands } from './commands/files.ts'
import { registerGroupCommands } from './commands/groups.ts'
import { registerMailboxCommands } from './commands/mailbox.ts'
import { registerMessageCommands } from './commands/messages.ts'
import { registerNodeCommands } from './commands/node.ts'
import { registerPassphraseCommands } from './commands/passphrase.ts'
import { registerPeopleCommands } from './commands/people.ts'

const program = new Command('parley')
  .description('Parley: a serverless, end-to-end encrypted messenger. Your address is your key.')
  .option('--data <dir>', 'data directory (default: $PARLEY_HOME or ~/.parley)')
  .showHelpAfterError()

// in the order `parley --help` lists them
registerNodeCommands(program)
registerMessageCommands(program)
registerConversationCommands(program)
registerPeopleCommands(program)
registerFileCommands(program)
registerGroupCommands(program)
registerCallCommands(program)
registerMailboxCommands(program)
registerBackupCommands(program)
registerPassphraseCommands(program)

program.addOption(new Option('--version').hideHelp())
program.on('option:version', () => { console.log('0.1.0'); process.exit(0) })

await program.parseAsync(process.argv)
