import { checkPassword, commonPasswordCount } from '../src/services/auth/password.policy';

describe('the password policy', () => {
  it('when loaded, then the bundled common-password list holds at least 10,000 entries (contract §2)', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it('when a listed password is given in another case, then it is refused as common', () => {
    expect(checkPassword('Trustno1', {}).map((e) => e.message)).toContain('Password is too common');
  });

  it('when a long unlisted passphrase is given, then nothing is reported', () => {
    expect(checkPassword('granite-otter-lantern-42', { username: 'someone', email: 'someone@example.com' })).toEqual([]);
  });
});
