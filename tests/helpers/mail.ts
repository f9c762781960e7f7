import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { configureMail } from '../../src/services/mail/mail.transport';

export interface ReceivedMail {
  to: string[];
  subject: string;
  from: string;
  text: string;
  html: string;
  raw: string;
}

function unfold(headers: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of headers.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) out[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return out;
}

function splitPart(text: string): { headers: Record<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return { headers: unfold(text), body: '' };
  return { headers: unfold(text.slice(0, match.index)), body: text.slice(match.index + match[0].length) };
}

function decode(body: string, encoding = '7bit'): string {
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body;
}

/** Just enough MIME to read what nodemailer builds: one text/plain and one text/html part. */
export function parseMail(raw: string, to: string[] = []): ReceivedMail {
  const { headers, body } = splitPart(raw);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1).map(splitPart) : [{ headers, body }];
  const partOf = (type: string) => parts.find((p) => (p.headers['content-type'] ?? '').startsWith(type));
  const text = partOf('text/plain');
  const html = partOf('text/html');
  return {
    to: to.length > 0 ? to : [headers.to ?? ''],
    subject: headers.subject ?? '',
    from: headers.from ?? '',
    text: text ? decode(text.body, text.headers['content-transfer-encoding']) : '',
    html: html ? decode(html.body, html.headers['content-transfer-encoding']) : '',
    raw,
  };
}

/** The 6-digit code and the link token of a reset or verification email. */
export function secretsOf(mail: ReceivedMail): { code: string; token: string; link: string } {
  const code = /Your code: (\d{6})/.exec(mail.text)?.[1];
  const link = /(https?:\/\/\S+\?token=([A-Za-z0-9_-]+))/.exec(mail.text);
  if (!code || !link?.[1] || !link[2]) throw new Error(`no code or link in:\n${mail.text}`);
  return { code, token: link[2], link: link[1] };
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that the app's mailer is
 * pointed at; tests wait for the mail a given address receives.
 */
export class MailCatcher {
  readonly received: ReceivedMail[] = [];
  private waiters: { to: string; resolve: (m: ReceivedMail) => void }[] = [];
  private readonly server: SMTPServer;
  url = '';

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          this.add(parseMail(Buffer.concat(chunks).toString('utf8'), to));
          callback();
        });
      },
    });
  }

  static async start(): Promise<MailCatcher> {
    const catcher = new MailCatcher();
    await new Promise<void>((resolve) => catcher.server.listen(0, '127.0.0.1', resolve));
    const { port } = catcher.server.server.address() as AddressInfo;
    catcher.url = `smtp://127.0.0.1:${port}`;
    configureMail({ smtpUrl: catcher.url });
    return catcher;
  }

  /** Every mail sent to `to` so far. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** The next mail to `address` not yet returned by `next`, waiting for it up to `ms`. */
  next(address: string, ms = 5000): Promise<ReceivedMail> {
    const to = address.toLowerCase();
    const waiting = this.unread.get(to) ?? [];
    const ready = waiting.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mail to ${to} within ${ms} ms`)), ms);
      this.waiters.push({
        to,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async stop(): Promise<void> {
    configureMail({ smtpUrl: undefined });
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private readonly unread = new Map<string, ReceivedMail[]>();

  private add(mail: ReceivedMail): void {
    this.received.push(mail);
    for (const to of mail.to) {
      const waiter = this.waiters.find((w) => w.to === to);
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(mail);
      } else {
        this.unread.set(to, [...(this.unread.get(to) ?? []), mail]);
      }
    }
  }
}
