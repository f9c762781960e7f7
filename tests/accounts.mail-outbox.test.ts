import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import { config } from '../src/config';
import { backgroundSettled } from '../src/services/operations/background.tasks';
import { configureMail, mailSettings } from '../src/services/mail/mail.transport';
import { createUser } from './helpers/factories';
import { parseMail, secretsOf } from './helpers/mail';
import { eventually } from './helpers/sockets';

const app = createApp();

describe('email without SMTP_URL', () => {
  afterAll(() => backgroundSettled());

  it('when SMTP_URL is unset, then each email is an .eml file under DATA_DIR/outbox/ that only the owner can read', async () => {
    expect(config.SMTP_URL).toBeUndefined();
    configureMail({ smtpUrl: undefined });
    const dir = mailSettings().outboxDir;
    expect(dir).toBe(path.resolve(config.DATA_DIR, 'outbox'));
    const { email } = await createUser();

    await request(app).post('/password/forgot').send({ email }).expect(202);

    let file: string | undefined;
    await eventually(
      () => {
        if (!existsSync(dir)) return false;
        const files = readdirSync(dir, { withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.eml'));
        file = files.map((f) => path.join(dir, f.name)).find((f) => readFileSync(f, 'utf8').includes(`To: ${email}`));
        return file !== undefined;
      },
      5000,
      'the .eml file',
    );
    const written = file ?? '';
    expect(statSync(written).mode & 0o777).toBe(0o600);
    const parsed = parseMail(readFileSync(written, 'utf8'));
    expect(parsed.subject).toMatch(/reset your password/);
    expect(parsed.from).toContain('no-reply@localhost');
    const { code, token } = secretsOf(parsed);
    expect(parsed.html).toContain(code);

    await request(app).post('/password/reset').send({ token, password: 'outbox-delivered-secret-5' }).expect(200);
  });
});
