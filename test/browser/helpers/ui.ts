import type { Locator, Page } from 'playwright-core'

/**
 * Starts a chat with `peer` through the page's "New chat" form (adding them as a contact),
 * which opens the conversation
 */
export async function startChat (page: Page, peer: string, name: string): Promise<void> {
  await page.click('.new-chat')
  await page.fill('.add-contact input[name=peer]', `parley://${peer}`)
  await page.fill('.add-contact input[name=name]', name)
  await page.click('.add-contact button[type=submit]')
  await page.waitForSelector(`.chat.active[data-peer="${peer}"]`)
  await page.waitForSelector('.conversation[data-open="true"] .composer textarea')
}

/** Opens the conversation with `peer` from the chat list */
export async function openChat (page: Page, peer: string): Promise<void> {
  await page.click(`.chats .chat[data-peer="${peer}"]`)
  await page.waitForSelector(`.chat.active[data-peer="${peer}"]`)
}

/** The row of the open conversation's message whose text is `text` */
export function messageWith (page: Page, text: string): Locator {
  return page.locator('.messages .message').filter({ has: page.locator('.text', { hasText: text }) })
}

/** The conversation list's row of `peer` */
export function chatRow (page: Page, peer: string): Locator {
  return page.locator(`.chats .chat[data-peer="${peer}"]`)
}

/**
 * Runs one of a message's actions (reply, react, edit, delete), as a touch user would: a tap on
 * the message shows them
 */
export async function messageAction (row: Locator, action: 'reply' | 'react' | 'edit' | 'delete'): Promise<void> {
  const button = row.locator(`.actions button.${action}`)
  if (!await button.isVisible()) await row.locator('.meta').click()
  await button.click()
}

/** Types `text` into the composer and sends it with Enter */
export async function typeAndSend (page: Page, text: string): Promise<void> {
  await page.fill('.composer textarea', text)
  await page.press('.composer textarea', 'Enter')
}
