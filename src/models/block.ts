import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** `UserId` blocks `BlockedUserId` (§7): one row per pair, gone with either account. */
export class Block extends Model<InferAttributes<Block>, InferCreationAttributes<Block>> {
  declare UserId: number;
  declare BlockedUserId: number;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Block.init(
      {
        UserId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        BlockedUserId: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'Blocks', updatedAt: false },
    );
  }
}
