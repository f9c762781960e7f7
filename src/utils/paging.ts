import type { Request, Response } from 'express';

export interface Page {
  page: number;
  limit: number;
}

export function offsetOf({ page, limit }: Page): number {
  return (page - 1) * limit;
}

/** Sets `X-Total-Count` and an RFC 8288 `Link` header (first and last always, prev/next where they exist). */
export function setPagingHeaders(req: Request, res: Response, { page, limit }: Page, total: number): void {
  const last = Math.max(1, Math.ceil(total / limit));
  const base = new URL(req.originalUrl, 'http://placeholder');
  const link = (p: number, rel: string) => {
    base.searchParams.set('page', String(p));
    base.searchParams.set('limit', String(limit));
    return `<${base.pathname}${base.search}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'));
  links.push(link(last, 'last'));
  res.set('X-Total-Count', String(total));
  res.set('Link', links.join(', '));
}
