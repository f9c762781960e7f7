import { Router } from 'express';
import * as moderation from '../controllers/moderation.controller';
import { requireVerifiedEmail } from '../middleware/require-verified-email';
import { validate } from '../middleware/validate';
import * as schemas from '../schemas/moderation.schemas';

/** Community safety (§7): blocks, reports and mutes. */
export const moderationRouter = Router();

moderationRouter.get('/user/blocks', validate(schemas.listBlocks), moderation.listBlocks);
moderationRouter.post('/users/:id/block', validate(schemas.block), moderation.block);
moderationRouter.delete('/users/:id/block', validate(schemas.unblock), moderation.unblock);
moderationRouter.post('/users/:id/mute', validate(schemas.mute), moderation.mute);
moderationRouter.delete('/users/:id/mute', validate(schemas.unmute), moderation.unmute);
moderationRouter.post('/reports', requireVerifiedEmail, validate(schemas.fileReport), moderation.fileReport);
moderationRouter.get('/reports', validate(schemas.listReports), moderation.listReports);
moderationRouter.patch('/reports/:id', validate(schemas.updateReport), moderation.updateReport);
