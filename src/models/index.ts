import type { Sequelize } from 'sequelize';
import { AccountCode } from './account-code';
import { Block } from './block';
import { Car } from './car';
import { Favorite } from './favorite';
import { Log } from './log';
import { Message } from './message';
import { Report } from './report';
import { RefreshToken, Session } from './session';
import { User } from './user';
import { UserAvatar } from './user-avatar';

let initialised = false;

/** Initialises every model on one connection and wires the associations. */
export function initModels(sequelize: Sequelize): void {
  if (initialised) return;
  for (const model of [User, Car, Favorite, Message, Log, Session, RefreshToken, AccountCode, UserAvatar, Block, Report]) model.initModel(sequelize);

  User.hasMany(Favorite, { foreignKey: { name: 'UserId', allowNull: false }, onDelete: 'CASCADE' });
  Favorite.belongsTo(User, { foreignKey: { name: 'UserId', allowNull: false } });
  Car.hasMany(Favorite, { foreignKey: { name: 'CarId', allowNull: false }, onDelete: 'CASCADE' });
  Favorite.belongsTo(Car, { foreignKey: { name: 'CarId', allowNull: false } });

  User.hasMany(Message, { foreignKey: { name: 'UserId', allowNull: true }, onDelete: 'SET NULL' });
  Message.belongsTo(User, { foreignKey: { name: 'UserId', allowNull: true } });

  User.hasOne(Log, { foreignKey: { name: 'UserId', allowNull: false }, onDelete: 'CASCADE' });
  Log.belongsTo(User, { foreignKey: { name: 'UserId', allowNull: false } });

  User.hasMany(Session, { foreignKey: { name: 'UserId', allowNull: false }, onDelete: 'CASCADE' });
  Session.belongsTo(User, { foreignKey: { name: 'UserId', allowNull: false } });
  Session.hasMany(RefreshToken, { foreignKey: { name: 'SessionId', allowNull: false }, onDelete: 'CASCADE' });
  RefreshToken.belongsTo(Session, { foreignKey: { name: 'SessionId', allowNull: false } });

  User.hasMany(AccountCode, { foreignKey: { name: 'UserId', allowNull: false }, onDelete: 'CASCADE' });
  AccountCode.belongsTo(User, { foreignKey: { name: 'UserId', allowNull: false } });
  User.hasOne(UserAvatar, { foreignKey: { name: 'UserId', allowNull: false }, onDelete: 'CASCADE' });
  // Moderation (§7): reports keep pointing at their users for the admin queue.
  Report.belongsTo(User, { as: 'Reporter', foreignKey: { name: 'ReporterId', allowNull: true }, constraints: false });
  Report.belongsTo(User, { as: 'User', foreignKey: { name: 'UserId', allowNull: true }, constraints: false });
  initialised = true;
}

export { AccountCode, Block, Car, Favorite, Log, Message, RefreshToken, Report, Session, User, UserAvatar };
