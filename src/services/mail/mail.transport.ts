import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../../config';
import { logger } from '../../logger';

export interface MailSettings {
  /** smtp(s)://user:pass@host:port; unset writes `.eml` files to `outboxDir` instead. */
  smtpUrl?: string;
  outboxDir: string;
  from: string;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

let settings: MailSettings = {
  smtpUrl: config.SMTP_URL,
  outboxDir: path.resolve(config.DATA_DIR, 'outbox'),
  from: config.MAIL_FROM,
};
let smtp: Transporter | undefined;
let outbox: Transporter | undefined;

/** SMTP_URL, DATA_DIR and MAIL_FROM by default; a tool or a test may point it elsewhere. */
export function configureMail(overrides: Partial<MailSettings>): void {
  smtp?.close();
  settings = { ...settings, ...overrides };
  smtp = undefined;
}

export function mailSettings(): Readonly<MailSettings> {
  return settings;
}

/** The message built by nodemailer, kept in memory and written as one file. */
async function writeToOutbox(mail: Mail): Promise<string> {
  outbox ??= nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = (await outbox.sendMail({ from: settings.from, ...mail })) as { message: Buffer };
  // Codes and links are inside: only the owner of the process may read them.
  await mkdir(settings.outboxDir, { recursive: true, mode: 0o700 });
  const file = path.join(settings.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`);
  await writeFile(file, info.message, { mode: 0o600 });
  return file;
}

/**
 * Sends one email through SMTP_URL, or writes it under DATA_DIR/outbox/ when none is set.
 * The log line names the subject only: the body carries codes and links.
 */
export async function sendMail(mail: Mail): Promise<void> {
  if (settings.smtpUrl) {
    smtp ??= nodemailer.createTransport(settings.smtpUrl);
    await smtp.sendMail({ from: settings.from, ...mail });
    logger.info({ subject: mail.subject }, 'email sent');
    return;
  }
  const file = await writeToOutbox(mail);
  logger.info({ subject: mail.subject, file: path.basename(file) }, 'email written to the outbox');
}
