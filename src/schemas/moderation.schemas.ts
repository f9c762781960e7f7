import { z } from 'zod';
import { REPORT_REASONS, REPORT_STATUSES } from '../models/report';
import { MAX_MUTE_MINUTES } from '../services/moderation/mute.service';
import { idNumber, idParams, pageQuery, text } from './common';

export const block = { params: idParams };

export const unblock = { params: idParams };

export const fileReport = {
  body: z
    .object({
      messageId: idNumber.optional(),
      userId: idNumber.optional(),
      reason: z.enum(REPORT_REASONS, { message: `reason must be one of ${REPORT_REASONS.join(', ')}` }),
      note: text(500, 'note').nullable().optional(),
    })
    .strict()
    .refine((b) => (b.messageId === undefined) !== (b.userId === undefined), {
      message: 'Give exactly one of messageId and userId',
      path: ['messageId'],
    }),
};

export const listReports = {
  query: z
    .object({
      ...pageQuery,
      status: z.enum(REPORT_STATUSES, { message: `status must be one of ${REPORT_STATUSES.join(', ')}` }).optional(),
    })
    .strict(),
};

export const updateReport = {
  params: idParams,
  body: z.object({ status: z.enum(['resolved', 'dismissed'], { message: 'status must be resolved or dismissed' }) }).strict(),
};

export const mute = {
  params: idParams,
  body: z
    .object({
      minutes: z
        .number({ message: 'minutes must be a number' })
        .int('minutes must be a whole number')
        .min(1, 'minutes must be at least 1')
        .max(MAX_MUTE_MINUTES, `minutes must be at most ${MAX_MUTE_MINUTES}`),
    })
    .strict(),
};

export const unmute = { params: idParams };
