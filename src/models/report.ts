import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { User } from './user';

export const REPORT_REASONS = ['spam', 'harassment', 'hate', 'sexual', 'violence', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_STATUSES = ['open', 'resolved', 'dismissed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/**
 * A report of a message or of a user (§7). For a message report `UserId` is the message's
 * author and `text` a copy of the message as it was when reported.
 */
export class Report extends Model<InferAttributes<Report>, InferCreationAttributes<Report>> {
  declare id: CreationOptional<number>;
  declare ReporterId: number | null;
  declare MessageId: number | null;
  declare UserId: number | null;
  declare isMessageReport: boolean;
  declare text: string | null;
  declare reason: ReportReason;
  declare note: string | null;
  declare status: CreationOptional<ReportStatus>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare Reporter?: NonAttribute<User | null>;
  declare User?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): void {
    Report.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        ReporterId: { type: DataTypes.INTEGER, allowNull: true },
        MessageId: { type: DataTypes.INTEGER, allowNull: true },
        UserId: { type: DataTypes.INTEGER, allowNull: true },
        isMessageReport: { type: DataTypes.BOOLEAN, allowNull: false },
        text: { type: DataTypes.TEXT, allowNull: true },
        reason: { type: DataTypes.STRING(16), allowNull: false },
        note: { type: DataTypes.STRING(500), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'open' },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'Reports' },
    );
  }
}
