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

export class Message extends Model<InferAttributes<Message>, InferCreationAttributes<Message>> {
  declare id: CreationOptional<number>;
  declare text: string;
  declare room: CreationOptional<string>;
  declare UserId: ForeignKey<User['id']> | null;
  declare clientId: string | null;
  /** Equal to `id` at insert (a database trigger), a fresh value of the id sequence at every edit or delete. */
  declare seq: CreationOptional<number>;
  declare editedAt: CreationOptional<Date | null>;
  /** Set on a tombstone: the text is cleared and the row kept for catch-up until the purge. */
  declare deletedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare User?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): void {
    Message.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        text: { type: DataTypes.TEXT, allowNull: false },
        room: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'global' },
        clientId: { type: DataTypes.STRING(64), allowNull: true },
        // NOT NULL in the table; the insert trigger fills it, so the model lets it be absent.
        seq: { type: DataTypes.INTEGER, allowNull: true },
        editedAt: { type: DataTypes.DATE, allowNull: true },
        deletedAt: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'Messages' },
    );
  }
}
