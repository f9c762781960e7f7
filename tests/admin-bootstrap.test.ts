import request from 'supertest';
import { createApp } from '../src/app';
import { User } from '../src/models';
import { adminCredentialsFrom, ensureSuperadmin, usernameBaseFor } from '../src/services/users/admin-bootstrap.service';
import { createUser, PASSWORD, unique } from './helpers/factories';

const app = createApp();
const ADMIN_PASSWORD = 'granite-otter-lantern-42';

async function stored(email: string) {
  return User.findOne({ where: { email } });
}

describe('ensureSuperadmin (ADMIN_EMAIL / ADMIN_PASSWORD)', () => {
  it('when no account has the email, then it creates a superadmin named after the local part who can log in', async () => {
    const local = unique('boss');
    const email = `${local}@Example.com`;

    await expect(ensureSuperadmin({ email, password: ADMIN_PASSWORD })).resolves.toMatchObject({
      action: 'created',
      username: local,
      email: email.toLowerCase(),
    });
    expect(await stored(email.toLowerCase())).toMatchObject({ username: local, role: 'superadmin' });
    const login = await request(app).post('/login').send({ email, password: ADMIN_PASSWORD }).expect(200);
    expect(login.body.user).toMatchObject({ username: local, role: 'superadmin' });
  });

  it('when it runs again with the same values, then nothing changes', async () => {
    const email = `${unique('boss')}@example.com`;
    await ensureSuperadmin({ email, password: ADMIN_PASSWORD });
    const before = await User.scope('withPassword').findOne({ where: { email } });

    await expect(ensureSuperadmin({ email, password: ADMIN_PASSWORD })).resolves.toMatchObject({ action: 'unchanged' });
    const after = await User.scope('withPassword').findOne({ where: { email } });
    expect([after?.passwordHash, after?.updatedAt]).toEqual([before?.passwordHash, before?.updatedAt]);
    expect(await User.count({ where: { email } })).toBe(1);
  });

  it('when a plain user has the email, then it becomes the superadmin with the new password', async () => {
    const { user, email } = await createUser();

    await expect(ensureSuperadmin({ email: email.toUpperCase(), password: ADMIN_PASSWORD })).resolves.toMatchObject({
      action: 'updated',
      userId: user.id,
    });
    expect(await stored(email)).toMatchObject({ id: user.id, username: user.username, role: 'superadmin' });
    await request(app).post('/login').send({ email, password: PASSWORD }).expect(401);
    await request(app).post('/login').send({ email, password: ADMIN_PASSWORD }).expect(200);
  });

  it('when an existing account is promoted, then the sessions it had before are dead at once (access and refresh)', async () => {
    const { email } = await createUser();
    const before = await request(app).post('/login').send({ email, password: PASSWORD }).expect(200);
    await request(app).get('/users').set('access_token', before.body.access_token).expect(403);

    await ensureSuperadmin({ email, password: ADMIN_PASSWORD });

    await request(app).get('/users').set('access_token', before.body.access_token).expect(401);
    await request(app).get('/user').set('access_token', before.body.access_token).expect(401);
    await request(app).post('/token/refresh').send({ refresh_token: before.body.refresh_token }).expect(401);
    const fresh = await request(app).post('/login').send({ email, password: ADMIN_PASSWORD }).expect(200);
    await request(app).get('/users').set('access_token', fresh.body.access_token).expect(200);
  });

  it('when the derived username is taken, then a numbered one is used', async () => {
    const { user } = await createUser();

    const result = await ensureSuperadmin({ email: `${user.username.toUpperCase()}@other.example`, password: ADMIN_PASSWORD });
    expect(result).toMatchObject({ action: 'created', username: `${user.username.toLowerCase()}-2` });
  });

  it('when the local part has characters a username cannot hold or is too short, then they are made valid', () => {
    expect(usernameBaseFor('first+last@example.com')).toBe('first_last');
    expect(usernameBaseFor('ab@example.com')).toBe('ab_admin');
    expect(usernameBaseFor(`${'x'.repeat(40)}@example.com`)).toBe('x'.repeat(30));
  });

  it('when the password breaks the policy, then it fails naming ADMIN_PASSWORD and creates nothing', async () => {
    const email = `${unique('boss')}@example.com`;

    await expect(ensureSuperadmin({ email, password: 'password' })).rejects.toThrow(/ADMIN_PASSWORD is not acceptable: .*too common/);
    await expect(ensureSuperadmin({ email, password: `x${email.split('@')[0]}x` })).rejects.toThrow(/ADMIN_PASSWORD .*must not contain/);
    expect(await stored(email)).toBeNull();
  });
});

describe('adminCredentialsFrom the environment', () => {
  it('when neither variable is set, then there is no admin to create', () => {
    expect(adminCredentialsFrom({})).toBeUndefined();
  });

  it('when only one of the two is set, then it fails naming both', () => {
    expect(() => adminCredentialsFrom({ ADMIN_EMAIL: 'a@example.com' })).toThrow('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
    expect(() => adminCredentialsFrom({ ADMIN_PASSWORD: ADMIN_PASSWORD })).toThrow('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  });

  it('when the email is invalid or the password too short, then it fails before anything is written', () => {
    expect(() => adminCredentialsFrom({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD })).toThrow(/ADMIN_EMAIL is not a valid email/);
    expect(() => adminCredentialsFrom({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD .*at least 8/);
  });
});
