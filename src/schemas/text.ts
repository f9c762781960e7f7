import { z } from 'zod';

/**
 * The one text rule of the API (contract §2, "Text rules"), used by every text field of
 * REST and Socket.IO alike: trimmed, counted in characters (code points, so an emoji is
 * one), and without C0 control characters other than tab, line feed and carriage return
 * (NUL included: PostgreSQL cannot store it). A refusal is VALIDATION_ERROR on both.
 */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function characterCount(s: string): number {
  let n = 0;
  for (const _ of s) n += 1;
  return n;
}

/** Trimmed text of at most `max` characters without control characters; `name` prefixes the messages. */
export const text = (max: number, name?: string) => {
  const must = name ? `${name} must` : 'Must';
  return z
    .string({ message: `${must} be a string` })
    .trim()
    .refine((s) => characterCount(s) <= max, `${must} be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), `${must} not contain control characters`);
};

/** Optional free text: trimmed, `null` clears the stored value. */
export const optionalText = (max: number) => text(max).nullable().optional();

export const MAX_MESSAGE_CHARACTERS = 2000;

/** A chat message's text, for `message:send`, `message:edit` and PATCH /socket/message/:id. */
export const messageText = text(MAX_MESSAGE_CHARACTERS, 'text').refine((s) => s.length > 0, 'text must not be empty');
