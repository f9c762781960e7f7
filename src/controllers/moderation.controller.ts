import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/moderation.schemas';
import * as blocks from '../services/moderation/block.service';
import * as mutes from '../services/moderation/mute.service';
import * as reports from '../services/moderation/report.service';
import { setPagingHeaders } from '../utils/paging';

export async function listBlocks(_req: Request, res: Response): Promise<void> {
  res.json(await blocks.listBlocked(principalOf(res).userId));
}

export const block: Handler<typeof schemas.block> = async (_req, res, { params }) => {
  await blocks.blockUser(principalOf(res).userId, params.id);
  res.status(201).json({ message: 'success to block' });
};

export const unblock: Handler<typeof schemas.unblock> = async (_req, res, { params }) => {
  await blocks.unblockUser(principalOf(res).userId, params.id);
  res.json({ message: 'success to unblock' });
};

export const fileReport: Handler<typeof schemas.fileReport> = async (_req, res, { body }) => {
  res.status(201).json(await reports.fileReport(principalOf(res).userId, body));
};

export const listReports: Handler<typeof schemas.listReports> = async (req, res, { query }) => {
  const { rows, total } = await reports.listReports(principalOf(res), query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
};

export const updateReport: Handler<typeof schemas.updateReport> = async (_req, res, { params, body }) => {
  res.json(await reports.setReportStatus(principalOf(res), params.id, body.status));
};

export const mute: Handler<typeof schemas.mute> = async (_req, res, { params, body }) => {
  res.json(await mutes.muteUser(principalOf(res), params.id, body.minutes));
};

export const unmute: Handler<typeof schemas.unmute> = async (_req, res, { params }) => {
  res.json(await mutes.unmuteUser(principalOf(res), params.id));
};
