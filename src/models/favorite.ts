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
import type { Car } from './car';
import type { User } from './user';

export class Favorite extends Model<InferAttributes<Favorite>, InferCreationAttributes<Favorite>> {
  declare id: CreationOptional<number>;
  declare UserId: ForeignKey<User['id']>;
  declare CarId: ForeignKey<Car['id']>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare Car?: NonAttribute<Car>;

  static initModel(sequelize: Sequelize): void {
    Favorite.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'Favorites' },
    );
  }
}
