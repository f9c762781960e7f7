import { UniqueConstraintError } from 'sequelize';
import { AppError } from '../../errors';
import { Message, Report, User } from '../../models';
import type { ReportReason, ReportStatus } from '../../models/report';
import { offsetOf, type Page } from '../../utils/paging';
import { isStaff, getUser } from '../users/user.service';
import { toPublicProfile, type PublicProfile } from '../users/user.view';

export interface NewReport {
  messageId?: number;
  userId?: number;
  reason: ReportReason;
  note?: string | null;
}

/** What the reporter gets back (§7). `userId` is the reported user, or the reported message's author. */
export interface ReportView {
  id: number;
  reason: ReportReason;
  note: string | null;
  status: ReportStatus;
  messageId: number | null;
  userId: number | null;
  createdAt: Date;
}

/** What moderators see: the report, the reported text and both people's public profiles. */
export interface ModerationView extends ReportView {
  text: string | null;
  updatedAt: Date;
  reporter: PublicProfile | null;
  target: PublicProfile | null;
}

type Actor = { userId: number; role: User['role'] };

function toReportView(r: Report): ReportView {
  return { id: r.id, reason: r.reason, note: r.note, status: r.status, messageId: r.MessageId, userId: r.UserId, createdAt: r.createdAt };
}

function toModerationView(r: Report): ModerationView {
  return {
    ...toReportView(r),
    text: r.text,
    updatedAt: r.updatedAt,
    reporter: r.Reporter ? toPublicProfile(r.Reporter) : null,
    target: r.User ? toPublicProfile(r.User) : null,
  };
}

/** The two member ids of a `dm:<a>-<b>` room, or undefined for any other room. */
function dmMembers(room: string): [number, number] | undefined {
  const match = /^dm:(\d+)-(\d+)$/.exec(room);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function cannotReportSelf(field: 'messageId' | 'userId'): AppError {
  const message = field === 'messageId' ? 'You cannot report your own message' : 'You cannot report yourself';
  return AppError.validation([{ path: field, message, location: 'body' }], message);
}

/** The row to store for a message report: a copy of the text as it is now. 404 for a message the reporter cannot read. */
async function messageTarget(reporterId: number, messageId: number): Promise<Pick<Report, 'MessageId' | 'UserId' | 'text'>> {
  const message = await Message.findByPk(messageId);
  const members = message ? dmMembers(message.room) : undefined;
  if (!message || (members && !members.includes(reporterId))) throw AppError.notFound('Message not found');
  if (message.UserId === reporterId) throw cannotReportSelf('messageId');
  return { MessageId: message.id, UserId: message.UserId, text: message.text };
}

async function userTarget(reporterId: number, userId: number): Promise<Pick<Report, 'MessageId' | 'UserId' | 'text'>> {
  if (userId === reporterId) throw cannotReportSelf('userId');
  await getUser(userId);
  return { MessageId: null, UserId: userId, text: null };
}

/** Files a report; the same reporter and target while one is open: 409. */
export async function fileReport(reporterId: number, input: NewReport): Promise<ReportView> {
  const isMessageReport = input.messageId !== undefined;
  const target = input.messageId !== undefined ? await messageTarget(reporterId, input.messageId) : await userTarget(reporterId, input.userId ?? 0);
  try {
    const report = await Report.create({ ReporterId: reporterId, isMessageReport, reason: input.reason, note: input.note ?? null, ...target });
    return toReportView(report);
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw AppError.conflict('You already reported this, and that report is still open');
    throw err;
  }
}

const WITH_PEOPLE = {
  include: [
    { model: User, as: 'Reporter' },
    { model: User, as: 'User' },
  ],
};

export interface ReportQuery extends Page {
  status?: ReportStatus;
}

/** The moderation queue, newest first (staff only). */
export async function listReports(actor: Actor, query: ReportQuery): Promise<{ rows: ModerationView[]; total: number }> {
  if (!isStaff(actor)) throw AppError.forbidden('Only admins can read reports');
  const { rows, count } = await Report.findAndCountAll({
    where: query.status ? { status: query.status } : {},
    ...WITH_PEOPLE,
    order: [
      ['createdAt', 'DESC'],
      ['id', 'DESC'],
    ],
    limit: query.limit,
    offset: offsetOf(query),
    distinct: true,
  });
  return { rows: rows.map(toModerationView), total: count };
}

/** Closes a report as resolved or dismissed (staff only). */
export async function setReportStatus(actor: Actor, id: number, status: Exclude<ReportStatus, 'open'>): Promise<ModerationView> {
  if (!isStaff(actor)) throw AppError.forbidden('Only admins can act on reports');
  const report = await Report.findByPk(id, WITH_PEOPLE);
  if (!report) throw AppError.notFound('Report not found');
  await report.update({ status });
  return toModerationView(report);
}
