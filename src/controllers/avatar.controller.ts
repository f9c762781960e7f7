import type { Request, Response } from 'express';
import { AppError } from '../errors';
import { principalOf } from '../middleware/authenticate';
import type { Handler } from '../routes/endpoint';
import type * as schemas from '../schemas/account.schemas';
import * as avatars from '../services/accounts/avatar.service';

export async function put(req: Request, res: Response): Promise<void> {
  if (!req.file) throw AppError.validation([{ path: 'avatar', message: 'No file', location: 'body' }]);
  res.json(await avatars.setAvatar(principalOf(res).userId, req.file.buffer));
}

export async function remove(_req: Request, res: Response): Promise<void> {
  res.json(await avatars.removeAvatar(principalOf(res).userId));
}

function etagMatches(header: string | undefined, etag: string): boolean {
  return header !== undefined && header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Public (an `<img>` sends no token). The URL with the current `v` never changes content:
 * cached for a year as immutable; any other URL must be revalidated (ETag).
 */
export const get: Handler<typeof schemas.getAvatar> = async (req, res, { params, query }) => {
  const { image, version } = await avatars.getAvatar(params.id);
  const etag = `"avatar-${params.id}-${version}"`;
  res.set({
    ETag: etag,
    'Cache-Control': query.v === version ? 'public, max-age=31536000, immutable' : 'public, no-cache',
    // Served to pages of other origins (helmet's default would be same-origin).
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (etagMatches(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }
  res.type('image/webp').send(image);
};
