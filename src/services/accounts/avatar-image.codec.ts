import sharp from 'sharp';
import { AppError } from '../../errors';

/** Sides over this are refused from the header, before a pixel is decoded. */
export const AVATAR_MAX_SIDE = 4096;
export const AVATAR_SIZE = 256;
/** Images decoded at once; more wait their turn (each decode already uses libuv threads, not the event loop). */
const MAX_CONCURRENT = 2;

type Accepted = 'jpeg' | 'png' | 'webp';

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);
const ascii = (buf: Buffer, text: string, at = 0) => buf.subarray(at, at + text.length).toString('latin1') === text;

/** Formats recognised by their first bytes that are images (or documents) of another type: 415. */
const OTHER_TYPES: [string, (b: Buffer) => boolean][] = [
  ['GIF', (b) => ascii(b, 'GIF87a') || ascii(b, 'GIF89a')],
  ['BMP', (b) => ascii(b, 'BM')],
  ['TIFF', (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])],
  ['ICO', (b) => startsWith(b, [0x00, 0x00, 0x01, 0x00])],
  ['HEIF/AVIF', (b) => ascii(b, 'ftyp', 4)],
  ['PDF', (b) => ascii(b, '%PDF')],
  ['PSD', (b) => ascii(b, '8BPS')],
  ['SVG', (b) => /^\s*(<\?xml|<svg)/i.test(b.subarray(0, 256).toString('latin1'))],
];

/** The format by content, never by name or declared type. */
export function sniffFormat(buf: Buffer): Accepted {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(buf, 'RIFF') && ascii(buf, 'WEBP', 8)) return 'webp';
  const other = OTHER_TYPES.find(([, test]) => test(buf));
  if (other) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `${other[0]} images are not accepted: send a JPEG, PNG or WebP file`);
  throw broken('The file is not an image');
}

function broken(detail = 'The image is broken or truncated'): AppError {
  return AppError.validation([{ path: 'avatar', message: detail, location: 'body' }], detail);
}

let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  while (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

// limitInputPixels backs the header check up: no decode ever allocates more than this.
const INPUT = { limitInputPixels: AVATAR_MAX_SIDE * AVATAR_MAX_SIDE, failOn: 'error' } as const;

/** Width and height from the header alone (no pixels decoded); refuses what is too large or not what the bytes claimed. */
async function checkHeader(buf: Buffer, format: Accepted): Promise<void> {
  let meta: sharp.Metadata;
  try {
    // Only the header is read here, so the pixel limit is left to the decode below: a bomb
    // gets the message that names the rule rather than sharp's.
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch {
    throw broken();
  }
  if (meta.format !== format || !meta.width || !meta.height) throw broken();
  if (meta.width > AVATAR_MAX_SIDE || meta.height > AVATAR_MAX_SIDE) {
    const detail = `The image is ${meta.width}×${meta.height}: at most ${AVATAR_MAX_SIDE} pixels a side`;
    throw AppError.validation([{ path: 'avatar', message: detail, location: 'body' }], detail);
  }
}

/**
 * A JPEG, PNG or WebP upload as the stored avatar: turned upright (EXIF orientation),
 * centre-cropped to 256×256, encoded as WebP with every piece of metadata (EXIF, GPS, ICC,
 * XMP) left out. Another type: 415; not an image, broken, or over 4096 px a side: 400.
 */
let sharpConfigured = false;

/** Sharp's operation cache only helps when the same input is processed again, which never happens here. */
function configureSharp(): void {
  if (sharpConfigured) return;
  sharp.cache(false);
  sharpConfigured = true;
}

export async function toAvatarWebp(buf: Buffer): Promise<Buffer> {
  const format = sniffFormat(buf);
  configureSharp();
  return withSlot(async () => {
    await checkHeader(buf, format);
    try {
      return await sharp(buf, INPUT).rotate().resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' }).webp({ quality: 82 }).toBuffer();
    } catch {
      throw broken();
    }
  });
}
