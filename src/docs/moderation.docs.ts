import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { REPORT_REASONS, REPORT_STATUSES } from '../models/report';
import * as schemas from '../schemas/moderation.schemas';
import { AUTH, BODY, PublicProfileSchema, SECURITY, SERVER, errors, json, messageSchema } from './components';
import { pagingHeaders } from './paging';
import { requestOf } from './request';

const tags = ['moderation'];
const security = SECURITY;
const timestamp = z.iso.datetime().meta({ example: '2026-01-31T12:00:00.000Z' });
const id = z.number().int().min(1);

const reportFields = {
  id,
  reason: z.enum(REPORT_REASONS),
  note: z.string().nullable(),
  status: z.enum(REPORT_STATUSES),
  messageId: id.nullable().meta({ description: 'The reported message (null for a user report, or once the message is gone).' }),
  userId: id.nullable().meta({ description: "The reported user, or the reported message's author (null once their account is deleted)." }),
  createdAt: timestamp,
};

export const ReportSchema = z.object(reportFields).meta({ id: 'Report', description: 'A report as its reporter sees it.' });

export const ModerationReportSchema = z
  .object({
    ...reportFields,
    text: z.string().nullable().meta({ description: 'The reported message as it was when reported (kept if it is later edited or deleted).' }),
    updatedAt: timestamp,
    reporter: PublicProfileSchema.nullable(),
    target: PublicProfileSchema.nullable().meta({ description: 'The reported user or the author of the reported message.' }),
  })
  .meta({ id: 'ModerationReport', description: 'A report in the moderation queue.' });

const MutedProfileSchema = PublicProfileSchema.extend({
  mutedUntil: timestamp.nullable().meta({ description: 'End of the mute; null when not muted.' }),
}).meta({ id: 'MutedProfile' });

function registerBlockDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'get',
    path: '/user/blocks',
    tags,
    security,
    summary: 'Whom I block',
    description: 'Public profiles of the users I block, most recently blocked first.',
    request: requestOf(schemas.listBlocks),
    responses: { 200: json(z.array(PublicProfileSchema), 'The users I block.'), ...errors(400, ...AUTH, ...SERVER) },
  });
  registry.registerPath({
    method: 'post',
    path: '/users/{id}/block',
    tags,
    security,
    summary: 'Block a user',
    description:
      "I no longer receive their messages (live, in history, in catch-up) or typing, and neither of us can write to the other's DM room. They are not told. Myself: 400; already blocked: 409.",
    request: requestOf(schemas.block),
    responses: { 201: json(messageSchema('success to block'), 'Blocked.'), ...errors(400, ...AUTH, 404, 409, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/users/{id}/block',
    tags,
    security,
    summary: 'Unblock a user',
    description: '404 when I do not block them.',
    request: requestOf(schemas.unblock),
    responses: { 200: json(messageSchema('success to unblock'), 'Unblocked.'), ...errors(400, ...AUTH, 404, ...SERVER) },
  });
}

function registerReportDocs(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/reports',
    tags,
    security,
    summary: 'Report a message or a user',
    description:
      'Exactly one of `messageId` and `userId`. A message report keeps a copy of its text. The same target reported again by me while my report is open: 409. With REQUIRE_VERIFIED_EMAIL=true, 403 EMAIL_NOT_VERIFIED until my email is verified.',
    request: requestOf(schemas.fileReport),
    responses: { 201: json(ReportSchema, 'Filed.'), ...errors(...BODY, ...AUTH, 403, 404, 409, ...SERVER) },
  });
  registry.registerPath({
    method: 'get',
    path: '/reports',
    tags,
    security,
    summary: 'The moderation queue (admin and superadmin only)',
    description: 'Newest first, paged like /cars; each with the reported text and both public profiles.',
    request: requestOf(schemas.listReports),
    responses: {
      200: { ...json(z.array(ModerationReportSchema), 'A page of reports.'), headers: pagingHeaders },
      ...errors(400, ...AUTH, 403, ...SERVER),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/reports/{id}',
    tags,
    security,
    summary: 'Resolve or dismiss a report (admin and superadmin only)',
    request: requestOf(schemas.updateReport),
    responses: { 200: json(ModerationReportSchema, 'The report.'), ...errors(...BODY, ...AUTH, 403, 404, ...SERVER) },
  });
}

function registerMuteDocs(registry: OpenAPIRegistry): void {
  const rights = 'An admin on a plain user, or a superadmin on anyone but a superadmin; else 403.';
  registry.registerPath({
    method: 'post',
    path: '/users/{id}/mute',
    tags,
    security,
    summary: 'Mute a user',
    description: `For \`minutes\` (1 to 43,200) their message sends and edits are refused with FORBIDDEN, on every instance. ${rights}`,
    request: requestOf(schemas.mute),
    responses: { 200: json(MutedProfileSchema, 'Muted.'), ...errors(...BODY, ...AUTH, 403, 404, ...SERVER) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/users/{id}/mute',
    tags,
    security,
    summary: 'Lift a mute',
    description: rights,
    request: requestOf(schemas.unmute),
    responses: { 200: json(MutedProfileSchema, 'Not muted (mutedUntil null).'), ...errors(400, ...AUTH, 403, 404, ...SERVER) },
  });
}

export function registerModerationDocs(registry: OpenAPIRegistry): void {
  registerBlockDocs(registry);
  registerReportDocs(registry);
  registerMuteDocs(registry);
}
