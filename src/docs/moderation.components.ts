import { z } from 'zod';
import { REPORT_REASONS, REPORT_STATUSES } from '../models/report';
import { PublicProfileSchema } from './components';

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

export const ReportSchema = z.strictObject(reportFields).meta({ id: 'Report', description: 'A report as its reporter sees it.' });

export const ModerationReportSchema = z
  .strictObject({
    ...reportFields,
    text: z.string().nullable().meta({ description: 'The reported message as it was when reported (kept if it is later edited or deleted).' }),
    updatedAt: timestamp,
    reporter: PublicProfileSchema.nullable(),
    target: PublicProfileSchema.nullable().meta({ description: 'The reported user or the author of the reported message.' }),
  })
  .meta({ id: 'ModerationReport', description: 'A report in the moderation queue.' });

export const MutedProfileSchema = PublicProfileSchema.extend({
  mutedUntil: timestamp.nullable().meta({ description: 'End of the mute; null when not muted.' }),
}).meta({ id: 'MutedProfile' });
