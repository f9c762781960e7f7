import { User } from '../src/models';
import { toAppError } from '../src/middleware/error-handler';
import { createUser } from './helpers/factories';

describe('toAppError on database errors', () => {
  it('when a case-insensitive unique index is violated (a lost race), then 409 names the field, not the index expression', async () => {
    const { user } = await createUser();
    const err = await User.create({
      username: `${user.username}x`,
      email: user.email.toUpperCase(),
      passwordHash: 'x',
      address: null,
      quotes: null,
    }).catch((e: unknown) => e);
    const mapped = toAppError(err);
    expect(mapped.status).toBe(409);
    expect(mapped.code).toBe('CONFLICT');
    expect(mapped.errors).toEqual([{ path: 'email', message: 'Already taken', location: 'body' }]);
  });
});
