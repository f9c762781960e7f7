import request from 'supertest';
import { Favorite } from '../src/models';
import { backgroundSettled } from '../src/services/operations/background.tasks';
import { setRequireVerifiedEmail } from '../src/services/accounts/verified-email.guard';
import { createCar, PASSWORD, unique } from './helpers/factories';
import { MailCatcher, secretsOf } from './helpers/mail';
import { expectProblem } from './helpers/problem';
import { connect, sendOk, serverForThisFile } from './helpers/sockets';

const server = serverForThisFile();
let mail: MailCatcher;

beforeAll(async () => {
  mail = await MailCatcher.start();
  setRequireVerifiedEmail(true);
});
afterAll(async () => {
  setRequireVerifiedEmail(false);
  await backgroundSettled();
  await mail.stop();
});

async function registered() {
  const username = unique('rv_');
  const email = `${username}@example.com`;
  await request(server().url).post('/register').send({ username, email, password: PASSWORD }).expect(201);
  const { code } = secretsOf(await mail.next(email));
  const login = await request(server().url).post('/login').send({ email, password: PASSWORD }).expect(200);
  return { token: login.body.access_token as string, userId: login.body.user.id as number, code };
}

describe('REQUIRE_VERIFIED_EMAIL=true', () => {
  it('when my email is not verified, then POST /favorites is 403 EMAIL_NOT_VERIFIED and nothing is stored; once verified, 201', async () => {
    const me = await registered();
    const car = await createCar();
    const add = () => request(server().url).post('/favorites').set('access_token', me.token).send({ CarId: car.id });
    expectProblem(await add(), 403, 'EMAIL_NOT_VERIFIED');
    expect(await Favorite.count({ where: { UserId: me.userId } })).toBe(0);
    await request(server().url).get('/favorites').set('access_token', me.token).expect(200);

    await request(server().url).post('/email/verify').set('access_token', me.token).send({ code: me.code }).expect(200);
    await add().expect(201);
  });

  it('when my email is not verified, then message:send acks EMAIL_NOT_VERIFIED; after verifying, the same socket sends', async () => {
    const me = await registered();
    const socket = await connect(server().url, { token: me.token });
    const reply = await socket.timeout(5000).emitWithAck('message:send', { text: 'hello' });
    expect(reply).toEqual({ ok: false, error: { code: 'EMAIL_NOT_VERIFIED', message: expect.any(String) } });

    await request(server().url).post('/email/verify').set('access_token', me.token).send({ code: me.code }).expect(200);
    const sent = await sendOk(socket, { text: 'verified now' });
    expect(sent).toMatchObject({ text: 'verified now', UserId: me.userId });
  });
});
