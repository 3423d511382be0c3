import { readFile, writeFile } from 'node:fs/promises'
import { action, clientFor, dataDir, passphraseIfNeeded } from '../context.ts'
import { printJson } from '../output.ts'
import { readPassphrase } from '../passphrase.ts'
import type * as Backup from '../../backup/index.ts'
import type * as Provider from '../../crypto/provider/index.ts'
import type { Command } from 'commander'

/** The backup code and its crypto, loaded when a backup command runs (not with every command) */
async function backups (): Promise<typeof Backup & { defaultProvider: typeof Provider.defaultProvider }> {
  const [backup, provider] = await Promise.all([import('../../backup/index.ts'), import('../../crypto/provider/index.ts')])
  return { ...backup, defaultProvider: provider.defaultProvider }
}

/** `backup export`, `backup import` */
export function registerBackupCommands (program: Command): void {
  const backup = program.command('backup')
    .description('encrypted backups of your identity, contacts and history')

  backup.command('export')
    .description('write an encrypted backup to FILE (through the daemon if it runs)')
    .argument('<file>')
    .option('--passphrase-file <file>', 'read the passphrase from this file (else $PARLEY_PASSPHRASE, else a prompt)')
    .action(action(async (file: string, opts, command: Command) => {
      const dir = dataDir(command)
      const passphrase = await readPassphrase({ file: opts.passphraseFile, prompt: 'Backup passphrase: ', confirm: true })
      const bytes = await clientFor(command).backup(passphrase).catch(async (err: any) => {
        if (err.name !== 'DaemonNotRunningError') throw err
        const { collectBackup, exportBackup, defaultProvider } = await backups()
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
      const { readBackup, restoreBackup, defaultProvider } = await backups()
      const contents = await readBackup(defaultProvider(), new Uint8Array(await readFile(file)), passphrase)
      const restored = await restoreBackup(dir, contents)
      if (opts.json === true) printJson({ peerId: restored.peerId.toString(), messages: restored.messages, contacts: restored.contacts })
      else console.log(`Restored ${restored.peerId.toString()} into ${dir}: ${restored.messages} messages, ${restored.contacts} contacts. Conversations start new encrypted sessions.`)
    }))
}
