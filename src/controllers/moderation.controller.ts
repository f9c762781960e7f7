import type { Request, Response } from 'express';
import { principalOf } from '../middleware/authenticate';
import { inputOf } from '../middleware/validate';
import * as schemas from '../schemas/moderation.schemas';
import * as blocks from '../services/moderation/block.service';
import * as mutes from '../services/moderation/mute.service';
import * as reports from '../services/moderation/report.service';
import { setPagingHeaders } from '../utils/paging';

export async function listBlocks(_req: Request, res: Response): Promise<void> {
  res.json(await blocks.listBlocked(principalOf(res).userId));
}

export async function block(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.block);
  await blocks.blockUser(principalOf(res).userId, params.id);
  res.status(201).json({ message: 'success to block' });
}

export async function unblock(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.unblock);
  await blocks.unblockUser(principalOf(res).userId, params.id);
  res.json({ message: 'success to unblock' });
}

export async function fileReport(_req: Request, res: Response): Promise<void> {
  const { body } = inputOf(res, schemas.fileReport);
  res.status(201).json(await reports.fileReport(principalOf(res).userId, body));
}

export async function listReports(req: Request, res: Response): Promise<void> {
  const { query } = inputOf(res, schemas.listReports);
  const { rows, total } = await reports.listReports(principalOf(res), query);
  setPagingHeaders(req, res, query, total);
  res.json(rows);
}

export async function updateReport(_req: Request, res: Response): Promise<void> {
  const { params, body } = inputOf(res, schemas.updateReport);
  res.json(await reports.setReportStatus(principalOf(res), params.id, body.status));
}

export async function mute(_req: Request, res: Response): Promise<void> {
  const { params, body } = inputOf(res, schemas.mute);
  res.json(await mutes.muteUser(principalOf(res), params.id, body.minutes));
}

export async function unmute(_req: Request, res: Response): Promise<void> {
  const { params } = inputOf(res, schemas.unmute);
  res.json(await mutes.unmuteUser(principalOf(res), params.id));
}
