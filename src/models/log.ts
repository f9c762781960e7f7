import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { User } from './user';

export type PresenceStatus = 'on' | 'off';

/** One presence row per user: whether they have a live socket anywhere. */
export class Log extends Model<InferAttributes<Log>, InferCreationAttributes<Log>> {
  declare id: CreationOptional<number>;
  declare UserId: ForeignKey<User['id']>;
  declare status: PresenceStatus;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare User?: NonAttribute<User>;

  static initModel(sequelize: Sequelize): void {
    Log.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        status: { type: DataTypes.ENUM('on', 'off'), allowNull: false, defaultValue: 'off' },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'Logs' },
    );
  }
}
