import request from 'supertest';
import { createApp } from '../src/app';
import { Favorite, User } from '../src/models';
import { createCar } from './helpers/factories';
import { caller as newCaller } from './helpers/http';
import { expectInvalid, expectProblem } from './helpers/problem';

const app = createApp();

const caller = () => newCaller(app);

const favoritesOf = (userId: number) => Favorite.findAll({ where: { UserId: userId }, order: [['id', 'ASC']], raw: true });

describe('favorites without a token', () => {
  it.each([
    ['get', '/favorites'],
    ['post', '/favorites'],
    ['delete', '/favorites/1'],
  ] as const)('when %s %s is called without a token, then 401 UNAUTHENTICATED', async (method, url) => {
    expectProblem(await request(app)[method](url), 401, 'UNAUTHENTICATED');
  });

  it('when POST /favorites has a body but no token, then 401 and nothing is stored', async () => {
    const car = await createCar();
    expectProblem(await request(app).post('/favorites').send({ CarId: car.id }), 401, 'UNAUTHENTICATED');
    expect(await Favorite.count({ where: { CarId: car.id } })).toBe(0);
  });
});

describe('POST /favorites', () => {
  it('when the car exists, then 201 with the favorite and its Car, stored for the caller', async () => {
    const me = await caller();
    const car = await createCar({ model: 'Fav', year: 2001, category: 'Coupe' });
    const res = await me.api.post('/favorites').send({ CarId: car.id }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      UserId: me.user.id,
      CarId: car.id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      Car: {
        id: car.id,
        objectId: car.objectId,
        make: car.make,
        model: 'Fav',
        year: 2001,
        category: 'Coupe',
        createdAt: car.createdAt.toISOString(),
        updatedAt: car.updatedAt.toISOString(),
      },
    });
    expect(await favoritesOf(me.user.id)).toEqual([expect.objectContaining({ id: res.body.id, UserId: me.user.id, CarId: car.id })]);
  });

  it('when the car is already a favorite, then 409 CONFLICT and still one row', async () => {
    const me = await caller();
    const car = await createCar();
    await me.api.post('/favorites').send({ CarId: car.id }).expect(201);
    expectProblem(await me.api.post('/favorites').send({ CarId: car.id }), 409, 'CONFLICT');
    expect(await favoritesOf(me.user.id)).toHaveLength(1);
  });

  it('when another user already has that car as a favorite, then the caller can still add it', async () => {
    const [me, other] = [await caller(), await caller()];
    const car = await createCar();
    await other.api.post('/favorites').send({ CarId: car.id }).expect(201);
    await me.api.post('/favorites').send({ CarId: car.id }).expect(201);
    expect(await Favorite.count({ where: { CarId: car.id } })).toBe(2);
  });

  it('when no car has that id, then 404 NOT_FOUND and nothing is stored', async () => {
    const me = await caller();
    expectProblem(await me.api.post('/favorites').send({ CarId: 2147483647 }), 404, 'NOT_FOUND');
    expect(await favoritesOf(me.user.id)).toEqual([]);
  });

  it.each([
    ['CarId as a string', { CarId: 'CAR' }, 'CarId'],
    ['CarId as a numeric string', { CarId: '1' }, 'CarId'],
    ['a negative CarId', { CarId: -1 }, 'CarId'],
    ['a zero CarId', { CarId: 0 }, 'CarId'],
    ['a fractional CarId', { CarId: 1.5 }, 'CarId'],
    ['a CarId over 32 bits', { CarId: 2147483648 }, 'CarId'],
    ['no CarId', {}, 'CarId'],
    ['a null CarId', { CarId: null }, 'CarId'],
    ['an extra UserId field', { CarId: 1, UserId: 1 }, 'UserId'],
  ])('when the body has %s, then 400 on that field and nothing is stored', async (_label, body, field) => {
    const me = await caller();
    const res = await me.api.post('/favorites').send(body);
    expectInvalid(res, 'body', field);
    expect(await favoritesOf(me.user.id)).toEqual([]);
  });

  it('when the body is a JSON array, then 400', async () => {
    const me = await caller();
    expectInvalid(await me.api.post('/favorites').send([{ CarId: 1 }]), 'body', 'body');
  });

  it('when the body is not JSON, then 415', async () => {
    const me = await caller();
    expectProblem(await me.api.post('/favorites').type('form').send('CarId=1'), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('GET /favorites', () => {
  it('when the caller has favorites, then only theirs, oldest first, each with its Car', async () => {
    const [me, other] = [await caller(), await caller()];
    const [first, second, theirs] = [await createCar(), await createCar(), await createCar()];
    await me.api.post('/favorites').send({ CarId: first.id }).expect(201);
    await me.api.post('/favorites').send({ CarId: second.id }).expect(201);
    await other.api.post('/favorites').send({ CarId: theirs.id }).expect(201);
    const res = await me.api.get('/favorites').expect(200);
    expect(
      res.body.map((f: { UserId: number; CarId: number; Car: { id: number; make: string } }) => [f.UserId, f.CarId, f.Car.id, f.Car.make]),
    ).toEqual([
      [me.user.id, first.id, first.id, first.make],
      [me.user.id, second.id, second.id, second.make],
    ]);
  });

  it('when the caller has none, then 200 []', async () => {
    const me = await caller();
    expect((await me.api.get('/favorites').expect(200)).body).toEqual([]);
  });

  it('when a query parameter is given, then 400', async () => {
    const me = await caller();
    const res = await me.api.get(`/favorites?UserId=1`);
    expectInvalid(res, 'query', 'UserId');
  });
});

describe('DELETE /favorites/:id', () => {
  it('when the favorite is mine, then 200 success to delete and it is gone', async () => {
    const me = await caller();
    const car = await createCar();
    const created = await me.api.post('/favorites').send({ CarId: car.id }).expect(201);
    const res = await me.api.delete(`/favorites/${created.body.id}`).expect(200);
    expect(res.body).toEqual({ message: 'success to delete' });
    expect(await Favorite.findByPk(created.body.id)).toBeNull();
    expectProblem(await me.api.delete(`/favorites/${created.body.id}`), 404, 'NOT_FOUND');
  });

  it("when the favorite is someone else's, then 404 and it stays in the database", async () => {
    const [me, other] = [await caller(), await caller()];
    const car = await createCar();
    const theirs = await other.api.post('/favorites').send({ CarId: car.id }).expect(201);
    const res = await me.api.delete(`/favorites/${theirs.body.id}`);
    expectProblem(res, 404, 'NOT_FOUND');
    expect(await favoritesOf(other.user.id)).toEqual([expect.objectContaining({ id: theirs.body.id, CarId: car.id })]);
  });

  it('when no favorite has that id, then 404', async () => {
    const me = await caller();
    expectProblem(await me.api.delete('/favorites/2147483647'), 404, 'NOT_FOUND');
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999'])('when the id is %s, then 400 on params.id', async (id) => {
    const me = await caller();
    const res = await me.api.delete(`/favorites/${id}`);
    expectInvalid(res, 'params', 'id');
  });

  it('when the request carries a body with fields (this route takes none), then 400 and the favorite stays', async () => {
    const me = await caller();
    const car = await createCar();
    const created = await me.api.post('/favorites').send({ CarId: car.id }).expect(201);
    const res = await me.api.delete(`/favorites/${created.body.id}`).send({ role: 'admin' });
    expectInvalid(res, 'body', 'role');
    expect(await Favorite.findByPk(created.body.id)).not.toBeNull();
    await me.api.delete(`/favorites/${created.body.id}`).send({}).expect(200);
  });
});

describe('a request racing its own account deletion', () => {
  it('when the account is deleted after the token was checked, then POST /favorites is 401, not 500', async () => {
    const me = await caller();
    const car = await createCar();
    await me.api.get('/user').expect(200); // the session is now cached as valid
    await User.destroy({ where: { id: me.user.id } }); // straight in the database, as another instance would
    expectProblem(await me.api.post('/favorites').send({ CarId: car.id }), 401, 'INVALID_TOKEN');
  });
});
