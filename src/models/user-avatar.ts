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

/** A user's avatar: a 256×256 WebP, or null once removed (the version keeps counting). */
export class UserAvatar extends Model<InferAttributes<UserAvatar>, InferCreationAttributes<UserAvatar>> {
  declare UserId: ForeignKey<User['id']>;
  declare image: Buffer | null;
  declare version: number;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    UserAvatar.init(
      {
        UserId: { type: DataTypes.INTEGER, primaryKey: true },
        image: { type: DataTypes.BLOB, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'UserAvatars' },
    );
  }
}
