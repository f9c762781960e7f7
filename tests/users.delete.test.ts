import request from 'supertest';
import { createApp } from '../src/app';
import { Favorite, Log, Message, RefreshToken, Session, User } from '../src/models';
import { onRevocation } from '../src/services/auth/session.service';
import { createCar, loginAs, PASSWORD } from './helpers/factories';
import { expectProblem } from './helpers/problem';
import { sessionIdOf } from './helpers/tokens';

const app = createApp();

const me = (token: string) => request(app).get('/user').set('access_token', token);

describe('DELETE /user/:id', () => {
  it('when a user deletes themselves, then sessions, favorites and presence go, messages stay anonymous and every token is 401 at once', async () => {
    const phone = await loginAs(app);
    const laptop = await request(app).post('/login').send({ email: phone.email, password: PASSWORD }).expect(200);
    const id = phone.user.id;
    const car = await createCar();
    await Favorite.create({ UserId: id, CarId: car.id });
    await Log.create({ UserId: id, status: 'on' });
    const message = await Message.create({ text: 'hello', room: 'global', UserId: id, clientId: null });
    await me(phone.accessToken).expect(200);
    await me(laptop.body.access_token).expect(200);
    const sessionIds = [sessionIdOf(phone.accessToken), sessionIdOf(laptop.body.access_token)];
    const heard: string[] = [];
    const stop = onRevocation((ids) => heard.push(...ids));

    const res = await request(app).delete(`/user/${id}`).set('access_token', phone.accessToken).expect(200);
    stop();
    expect(res.body).toEqual({ message: 'success to delete' });

    expectProblem(await me(phone.accessToken), 401, 'INVALID_TOKEN');
    expectProblem(await me(laptop.body.access_token), 401, 'INVALID_TOKEN');
    expectProblem(await request(app).post('/token/refresh').send({ refresh_token: laptop.body.refresh_token }), 401, 'INVALID_TOKEN');
    expect(heard).toEqual(expect.arrayContaining(sessionIds));
    expect(await User.count({ where: { id } })).toBe(0);
    expect(await Session.count({ where: { UserId: id } })).toBe(0);
    expect(await RefreshToken.count({ where: { SessionId: sessionIds } })).toBe(0);
    expect(await Favorite.count({ where: { UserId: id } })).toBe(0);
    expect(await Log.count({ where: { UserId: id } })).toBe(0);
    const kept = await Message.findByPk(message.id);
    expect(kept?.text).toBe('hello');
    expect(kept?.UserId).toBeNull();
  });

  it('when an account is deleted, then its username and email are free again', async () => {
    const gone = await loginAs(app);
    await request(app).delete(`/user/${gone.user.id}`).set('access_token', gone.accessToken).expect(200);
    await request(app)
      .post('/register')
      .send({ username: gone.user.username.toUpperCase(), email: gone.email.toUpperCase(), password: 'a-brand-new-secret-9' })
      .expect(201);
  });

  it("when an admin deletes a plain user, then that user's live token is 401 at once", async () => {
    const admin = await loginAs(app, { role: 'admin' });
    const target = await loginAs(app);
    await me(target.accessToken).expect(200);
    await request(app).delete(`/user/${target.user.id}`).set('access_token', admin.accessToken).expect(200);
    expectProblem(await me(target.accessToken), 401, 'INVALID_TOKEN');
    await me(admin.accessToken).expect(200);
  });
});
