import { PassphraseRequiredError } from '../../storage/errors.ts'
import { action, dataDir, passphraseIfNeeded } from '../context.ts'
import { readPassphrase } from '../passphrase.ts'
import type * as DataDir from '../../storage/data-dir.ts'
import type * as Keyring from '../../storage/keyring.ts'
import type { Command } from 'commander'

/** Rewriting a data directory (its storage and ciphers), loaded when a passphrase command runs */
async function dataDirs (): Promise<{ changePassphrase: typeof DataDir.changePassphrase, hasKeyring: typeof Keyring.hasKeyring }> {
  const [{ changePassphrase }, { hasKeyring }] = await Promise.all([import('../../storage/data-dir.ts'), import('../../storage/keyring.ts')])
  return { changePassphrase, hasKeyring }
}

/** `passphrase set`, `change`, `remove`: encryption of the data directory at rest */
export function registerPassphraseCommands (program: Command): void {
  const passphrase = program.command('passphrase')
    .description('encrypt the data directory at rest under a passphrase (run while no daemon runs)')

  passphrase.command('set')
    .description('encrypt the data directory under a new passphrase ($PARLEY_NEW_PASSPHRASE or a prompt)')
    .option('--new-passphrase-file <file>', 'read the new passphrase from this file')
    .action(action(async (opts, command: Command) => {
      const dir = dataDir(command)
      const next = await readPassphrase({ file: opts.newPassphraseFile, prompt: 'New passphrase: ', confirm: true, envVar: 'PARLEY_NEW_PASSPHRASE' })
      const { changePassphrase } = await dataDirs()
      const result = await changePassphrase(dir, undefined, next)
      console.log(result === 'set' ? `${dir} is now encrypted. Without the passphrase nothing in it can be read: keep a backup.` : `${dir} was already encrypted: use "passphrase change"`)
    }))

  passphrase.command('change')
    .description('replace the passphrase ($PARLEY_PASSPHRASE, then $PARLEY_NEW_PASSPHRASE, or prompts)')
    .option('--passphrase-file <file>', 'the current passphrase')
    .option('--new-passphrase-file <file>', 'the new passphrase')
    .action(action(async (opts, command: Command) => {
      const dir = dataDir(command)
      const { changePassphrase, hasKeyring } = await dataDirs()
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
      const { changePassphrase } = await dataDirs()
      const result = await changePassphrase(dir, current, undefined)
      console.log(result === 'removed' ? `${dir} is no longer encrypted.` : `${dir} had no passphrase.`)
    }))
}
