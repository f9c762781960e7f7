import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { AppError } from '../errors';

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_FIELD = 'avatar';

/**
 * One file in memory, cut off at 2 MB while it streams in (never buffered past that); no
 * other field or file is accepted.
 */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: AVATAR_MAX_BYTES, files: 1, fields: 0, parts: 1, headerPairs: 20 },
}).single(AVATAR_FIELD);

function invalid(detail: string): AppError {
  return AppError.validation([{ path: AVATAR_FIELD, message: detail, location: 'body' }], detail);
}

function uploadError(err: unknown): AppError {
  if (err instanceof MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The image is larger than 2 MB');
    const field = err.field ? ` (${err.field})` : '';
    return invalid(`Send exactly one file, in the field "${AVATAR_FIELD}", and nothing else${field}`);
  }
  return invalid('The multipart body could not be read');
}

/** PUT /user/avatar's body: multipart/form-data (else 415) with the file in `req.file`. */
export function avatarUpload(req: Request, res: Response, next: NextFunction): void {
  if (!req.is('multipart/form-data')) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the image as multipart/form-data in the field "${AVATAR_FIELD}"`);
  }
  upload(req, res, (err: unknown) => {
    if (err) next(uploadError(err));
    else if (!req.file) next(invalid(`No file in the field "${AVATAR_FIELD}"`));
    else next();
  });
}
