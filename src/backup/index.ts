/**
 * @packageDocumentation
 *
 * Encrypted backups: identity, contacts and history under a passphrase (scrypt, AES-256-GCM).
 * Sessions and one-time prekeys are never backed up (see `exportBackup`).
 */
export { exportBackup, readBackup } from './backup.ts'
export type { BackupContents } from './backup.ts'
export { collectFrom } from './collect.ts'
export { collectBackup, restoreBackup } from './restore.ts'
export * from './errors.ts'
