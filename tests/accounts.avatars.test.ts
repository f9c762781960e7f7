import request from 'supertest';
import sharp from 'sharp';
import { createApp } from '../src/app';
import { Log, Message, User, UserAvatar } from '../src/models';
import { caller, type Caller } from './helpers/http';
import { createCar } from './helpers/factories';
import { expectProblem } from './helpers/problem';

const app = createApp();

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } });

/** A JPEG carrying EXIF GPS coordinates and a camera make, as a phone writes them. */
async function jpegWithGps(): Promise<Buffer> {
  const jpeg = await solid(800, 600)
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'GPS Cam' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 4000/100' },
    })
    .toBuffer();
  const meta = await sharp(jpeg).metadata();
  expect(meta.exif?.toString('latin1')).toContain('TestPhone');
  return jpeg;
}

const upload = (who: Caller, file: Buffer, name = 'avatar.png', field = 'avatar') =>
  who.api.put('/user/avatar').attach(field, file, { filename: name, contentType: 'application/octet-stream' });

describe('PUT /user/avatar', () => {
  it('when a PNG is uploaded, then 200 me with a versioned avatarUrl; a 256×256 WebP is stored', async () => {
    const me = await caller(app);
    const res = await upload(me, await solid(600, 400).png().toBuffer()).expect(200);
    expect(res.body).toMatchObject({ id: me.user.id, avatarUrl: `/users/${me.user.id}/avatar?v=1` });
    const stored = await UserAvatar.findByPk(me.user.id);
    const meta = await sharp(stored?.image ?? Buffer.alloc(0)).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect((await User.findByPk(me.user.id))?.avatarVersion).toBe(1);
  });

  it('when a JPEG with EXIF GPS data is uploaded, then the stored image carries no metadata at all', async () => {
    const me = await caller(app);
    await upload(me, await jpegWithGps(), 'holiday.jpg').expect(200);
    const image = (await UserAvatar.findByPk(me.user.id))?.image ?? Buffer.alloc(0);
    const meta = await sharp(image).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(image.toString('latin1')).not.toMatch(/TestPhone|GPS|EXIF/);
  });

  it('when a GIF is uploaded (even named .png), then 415 and nothing is stored', async () => {
    const me = await caller(app);
    expectProblem(await upload(me, await solid(50, 50).gif().toBuffer(), 'looks-like.png'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await UserAvatar.findByPk(me.user.id)).toBeNull();
  });

  it('when the file is truncated or not an image, then 400', async () => {
    const me = await caller(app);
    const png = await solid(400, 400).png({ compressionLevel: 0 }).toBuffer();
    expectProblem(await upload(me, png.subarray(0, Math.floor(png.length / 2))), 400, 'VALIDATION_ERROR');
    const jpeg = await jpegWithGps();
    expectProblem(await upload(me, jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'a.jpg'), 400, 'VALIDATION_ERROR');
    expectProblem(await upload(me, Buffer.from('just some text, not a picture'), 'a.txt'), 400, 'VALIDATION_ERROR');
    expect(await UserAvatar.findByPk(me.user.id)).toBeNull();
  });

  it('when the file is over 2 MB, then 413', async () => {
    const me = await caller(app);
    const noisy = await sharp({
      create: { width: 1200, height: 1200, channels: 3, background: { r: 0, g: 0, b: 0 }, noise: { type: 'gaussian', mean: 128, sigma: 60 } },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noisy.length).toBeGreaterThan(2 * 1024 * 1024);
    expectProblem(await upload(me, noisy), 413, 'PAYLOAD_TOO_LARGE');
    expect(await UserAvatar.findByPk(me.user.id)).toBeNull();
  });

  it('when a side is over 4,096 pixels (a small file that would decode huge), then 400 before decoding', async () => {
    const me = await caller(app);
    const wide = await solid(5000, 8).png().toBuffer();
    expectProblem(await upload(me, wide), 400, 'VALIDATION_ERROR');
    const bomb = await solid(6000, 6000).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const res = await upload(me, bomb);
    expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(res.body.detail).toMatch(/4096/);
  });

  it('when the body is not multipart, has other fields, or names another field, then 415 or 400; without a token 401', async () => {
    const me = await caller(app);
    const png = await solid(100, 100).png().toBuffer();
    expectProblem(await me.api.put('/user/avatar').send({ avatar: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(await upload(me, png, 'a.png', 'picture'), 400, 'VALIDATION_ERROR');
    expectProblem(await me.api.put('/user/avatar').field('role', 'admin').attach('avatar', png, 'a.png'), 400, 'VALIDATION_ERROR');
    expectProblem(await me.api.put('/user/avatar').attach('avatar', png, 'a.png').attach('avatar', png, 'b.png'), 400, 'VALIDATION_ERROR');
    expectProblem(await me.api.put('/user/avatar').field('nothing', '').type('multipart/form-data'), 400, 'VALIDATION_ERROR');
    expectProblem(await request(app).put('/user/avatar').attach('avatar', png, 'a.png'), 401, 'UNAUTHENTICATED');
    expect(await UserAvatar.findByPk(me.user.id)).toBeNull();
  });
});

describe('GET /users/:id/avatar', () => {
  it('when fetched with no token at the current version, then image/webp, an ETag and a year of immutable caching; If-None-Match gets 304', async () => {
    const me = await caller(app);
    const { body } = await upload(me, await solid(300, 300).png().toBuffer()).expect(200);
    const res = await request(app).get(body.avatarUrl).buffer(true).expect(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((await sharp(res.body as Buffer).metadata()).format).toBe('webp');
    const etag = String(res.headers.etag);
    const cached = await request(app).get(body.avatarUrl).set('If-None-Match', etag);
    expect(cached.status).toBe(304);
    const unversioned = await request(app).get(`/users/${me.user.id}/avatar`).expect(200);
    expect(unversioned.headers['cache-control']).toBe('public, no-cache');
  });

  it('when re-uploaded, deleted and uploaded again, then every upload gets a new version and a deleted one is 404', async () => {
    const me = await caller(app);
    const png = await solid(100, 100).png().toBuffer();
    await upload(me, png).expect(200);
    const second = await upload(me, png).expect(200);
    expect(second.body.avatarUrl).toBe(`/users/${me.user.id}/avatar?v=2`);
    const stale = await request(app).get(`/users/${me.user.id}/avatar?v=1`).expect(200);
    expect(stale.headers['cache-control']).toBe('public, no-cache');

    const removed = await me.api.delete('/user/avatar').expect(200);
    expect(removed.body).toMatchObject({ id: me.user.id, avatarUrl: null });
    expectProblem(await request(app).get(`/users/${me.user.id}/avatar?v=2`), 404, 'NOT_FOUND');
    expect((await upload(me, png).expect(200)).body.avatarUrl).toBe(`/users/${me.user.id}/avatar?v=3`);
  });

  it('when the user has no avatar or does not exist, then 404; a bad id or query is 400', async () => {
    const me = await caller(app);
    expectProblem(await request(app).get(`/users/${me.user.id}/avatar`), 404, 'NOT_FOUND');
    expectProblem(await request(app).get('/users/2147483000/avatar'), 404, 'NOT_FOUND');
    expectProblem(await request(app).get('/users/abc/avatar'), 400, 'VALIDATION_ERROR');
    expectProblem(await request(app).get(`/users/${me.user.id}/avatar?size=big`), 400, 'VALIDATION_ERROR');
  });

  it('when this route is public, then the other /users routes still need a token', async () => {
    const me = await caller(app);
    expectProblem(await request(app).get(`/users/${me.user.id}`), 401, 'UNAUTHENTICATED');
    expectProblem(await request(app).get('/users'), 401, 'UNAUTHENTICATED');
    expectProblem(await request(app).patch(`/users/${me.user.id}/role`).send({ role: 'admin' }), 401, 'UNAUTHENTICATED');
  });
});

describe('avatarUrl elsewhere', () => {
  it('when I have an avatar, then my public profile, my messages and the presence log carry its URL', async () => {
    const me = await caller(app);
    const other = await caller(app);
    const { body } = await upload(me, await solid(64, 64).png().toBuffer()).expect(200);
    const profile = await other.api.get(`/users/${me.user.id}`).expect(200);
    expect(profile.body).toEqual({
      id: me.user.id,
      username: me.user.username,
      quotes: null,
      avatarUrl: body.avatarUrl,
      createdAt: expect.any(String),
    });
    const car = await createCar();
    await Message.create({ text: 'look at my avatar', room: `car:${car.id}`, UserId: me.user.id, clientId: null });
    const history = await other.api.get(`/socket/message?room=car:${car.id}`).expect(200);
    expect(history.body[0].User).toEqual({ id: me.user.id, username: me.user.username, avatarUrl: body.avatarUrl });
    await Log.create({ UserId: me.user.id, status: 'on' });
    // /socket/log is paged: find my entry by my username prefix.
    const log = await other.api.get(`/socket/log?q=${me.user.username}`).expect(200);
    const entry = log.body.find((e: { UserId: number }) => e.UserId === me.user.id);
    expect(entry.User).toEqual({ id: me.user.id, username: me.user.username, avatarUrl: body.avatarUrl });
  });
});
