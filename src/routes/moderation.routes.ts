import { z } from 'zod';
import * as moderation from '../controllers/moderation.controller';
import { PublicProfileSchema, messageSchema } from '../docs/components';
import { pagingHeaders } from '../docs/headers';
import { ModerationReportSchema, MutedProfileSchema, ReportSchema } from '../docs/moderation.components';
import { requireVerifiedEmail } from '../middleware/require-verified-email';
import * as schemas from '../schemas/moderation.schemas';
import { defineEndpoint, json, problem } from './endpoint';

const tags: [string] = ['moderation'];
const rights = 'An admin on a plain user, or a superadmin on anyone but a superadmin; else 403.';

/** Community safety (§7): blocks, reports and mutes. `GET /user/blocks` is declared before `/user/:id` takes it. */
export const moderationEndpoints = [
  defineEndpoint({
    method: 'get',
    path: '/user/blocks',
    access: 'user',
    tags,
    summary: 'Whom I block',
    description: 'Public profiles of the users I block, most recently blocked first.',
    responses: { 200: json(z.array(PublicProfileSchema), 'The users I block.') },
    handler: moderation.listBlocks,
  }),
  defineEndpoint({
    method: 'post',
    path: '/users/:id/block',
    access: 'user',
    tags,
    summary: 'Block a user',
    description:
      "I no longer receive their messages (live, in history, in catch-up) or typing, and neither of us can write to the other's DM room. They are not told. Myself: 400; already blocked: 409.",
    request: schemas.block,
    responses: { 201: json(messageSchema('success to block'), 'Blocked.'), 404: problem, 409: problem },
    handler: moderation.block,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/users/:id/block',
    access: 'user',
    tags,
    summary: 'Unblock a user',
    description: '404 when I do not block them.',
    request: schemas.unblock,
    responses: { 200: json(messageSchema('success to unblock'), 'Unblocked.'), 404: problem },
    handler: moderation.unblock,
  }),
  defineEndpoint({
    method: 'post',
    path: '/reports',
    access: 'user',
    tags,
    summary: 'Report a message or a user',
    description:
      'Exactly one of `messageId` and `userId`. A message report keeps a copy of its text. The same target reported again by me while my report is open: 409. With REQUIRE_VERIFIED_EMAIL=true, 403 EMAIL_NOT_VERIFIED until my email is verified. At most REPORTS_PER_HOUR (20) per reporter and hour, whatever their outcome: 429.',
    request: schemas.fileReport,
    responses: { 201: json(ReportSchema, 'Filed.'), 403: problem, 404: problem, 409: problem },
    guards: [requireVerifiedEmail],
    budget: 'report',
    handler: moderation.fileReport,
  }),
  defineEndpoint({
    method: 'get',
    path: '/reports',
    access: 'admin',
    tags,
    summary: 'The moderation queue (admin and superadmin only)',
    description: 'Newest first, paged like /cars; each with the reported text and both public profiles.',
    request: schemas.listReports,
    responses: { 200: json(z.array(ModerationReportSchema), 'A page of reports.', pagingHeaders) },
    handler: moderation.listReports,
  }),
  defineEndpoint({
    method: 'patch',
    path: '/reports/:id',
    access: 'admin',
    tags,
    summary: 'Resolve or dismiss a report (admin and superadmin only)',
    request: schemas.updateReport,
    responses: { 200: json(ModerationReportSchema, 'The report.'), 404: problem },
    handler: moderation.updateReport,
  }),
  defineEndpoint({
    method: 'post',
    path: '/users/:id/mute',
    access: 'admin',
    tags,
    summary: 'Mute a user',
    description: `For \`minutes\` (1 to 43,200) their message sends and edits are refused with FORBIDDEN, on every instance. ${rights}`,
    request: schemas.mute,
    responses: { 200: json(MutedProfileSchema, 'Muted.'), 404: problem },
    handler: moderation.mute,
  }),
  defineEndpoint({
    method: 'delete',
    path: '/users/:id/mute',
    access: 'admin',
    tags,
    summary: 'Lift a mute',
    description: rights,
    request: schemas.unmute,
    responses: { 200: json(MutedProfileSchema, 'Not muted (mutedUntil null).'), 404: problem },
    handler: moderation.unmute,
  }),
];
