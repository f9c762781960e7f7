import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';

/** `/cars`, `/users`, `/reports` and `/socket/log` answer with the array as the body and these headers. */
export const pagingHeaders = {
  'X-Total-Count': { description: 'Rows matching the filters, over all pages.', schema: { type: 'integer' } },
  Link: { description: 'RFC 8288 links: `first` and `last` always, `prev` and `next` where they exist.', schema: { type: 'string' } },
} satisfies ResponseConfig['headers'];

/** ETag and Cache-Control of every catalogue read (docs/catalogue.md). */
export const cachingHeaders = {
  ETag: {
    description: 'Changes whenever the catalogue changes (an import that writes rows). Send it back as `If-None-Match` to get a 304.',
    schema: { type: 'string' },
  },
  'Cache-Control': { description: '`private, max-age=60`.', schema: { type: 'string' } },
} satisfies ResponseConfig['headers'];
