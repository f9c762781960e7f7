import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const ROLES = ['user', 'admin', 'superadmin'] as const;
export type Role = (typeof ROLES)[number];

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare username: string;
  declare email: string;
  declare passwordHash: string;
  declare address: string | null;
  declare quotes: string | null;
  declare role: CreationOptional<Role>;
  declare emailVerified: CreationOptional<boolean>;
  declare avatarVersion: CreationOptional<number | null>;
  declare mutedUntil: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    User.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        username: { type: DataTypes.STRING(30), allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: false },
        passwordHash: { type: DataTypes.STRING(100), allowNull: false },
        address: { type: DataTypes.STRING(255), allowNull: true },
        quotes: { type: DataTypes.STRING(500), allowNull: true },
        role: { type: DataTypes.ENUM(...ROLES), allowNull: false, defaultValue: 'user' },
        emailVerified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        avatarVersion: { type: DataTypes.INTEGER, allowNull: true },
        mutedUntil: { type: DataTypes.DATE, allowNull: true },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'Users',
        // The hash never leaves the model unless a caller asks for the `withPassword` scope.
        defaultScope: { attributes: { exclude: ['passwordHash'] } },
        scopes: { withPassword: { attributes: { include: ['passwordHash'] } } },
      },
    );
  }
}
