import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class Car extends Model<InferAttributes<Car>, InferCreationAttributes<Car>> {
  declare id: CreationOptional<number>;
  declare objectId: string;
  declare make: string;
  declare model: string;
  declare year: number;
  declare category: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    Car.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        objectId: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        make: { type: DataTypes.STRING(100), allowNull: false },
        model: { type: DataTypes.STRING(150), allowNull: false },
        year: { type: DataTypes.INTEGER, allowNull: false },
        category: { type: DataTypes.STRING(255), allowNull: false, defaultValue: '' },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'Cars' },
    );
  }
}
