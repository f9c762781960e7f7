import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';

/** `/cars` and `/users` answer with the array as the body and these headers. */
export const pagingHeaders = {
  'X-Total-Count': { description: 'Rows matching the filters, over all pages.', schema: { type: 'integer' } },
  Link: { description: 'RFC 8288 links: `first` and `last` always, `prev` and `next` where they exist.', schema: { type: 'string' } },
} satisfies ResponseConfig['headers'];
