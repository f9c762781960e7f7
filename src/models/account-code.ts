import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { User } from './user';

export const CODE_PURPOSES = ['password_reset', 'email_verification'] as const;
export type CodePurpose = (typeof CODE_PURPOSES)[number];

/**
 * A one-time code and link token sent by email (password reset, email verification).
 * One per user and purpose; both secrets are kept only as keyed hashes.
 */
export class AccountCode extends Model<InferAttributes<AccountCode>, InferCreationAttributes<AccountCode>> {
  declare id: CreationOptional<number>;
  declare UserId: ForeignKey<User['id']>;
  declare purpose: CodePurpose;
  /** The address the code was sent to: it is void once the account's email is another. */
  declare email: string;
  declare codeHash: string;
  declare tokenHash: string;
  /** Wrong codes tried so far. */
  declare attempts: CreationOptional<number>;
  declare expiresAt: Date;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    AccountCode.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        purpose: { type: DataTypes.STRING(32), allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: false },
        codeHash: { type: DataTypes.STRING(64), allowNull: false },
        tokenHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        expiresAt: { type: DataTypes.DATE, allowNull: false },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'AccountCodes' },
    );
  }
}
