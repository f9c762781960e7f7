import http from 'node:http';

export interface HeldRequest {
  /** Sends the rest of the body and resolves with the response. */
  finish(): Promise<{ status: number; body: Record<string, unknown>; connection: string | undefined }>;
}

/**
 * A POST /login whose headers the server has parsed (it answered `100 Continue`) but whose
 * body is not sent yet: a request that is certainly in flight until `finish()`.
 */
export function holdLogin(url: string, credentials: { email: string; password: string }): Promise<HeldRequest> {
  const body = JSON.stringify(credentials);
  return new Promise((resolveHeld, rejectHeld) => {
    let resolveResponse: (r: Awaited<ReturnType<HeldRequest['finish']>>) => void = () => undefined;
    let rejectResponse: (e: Error) => void = () => undefined;
    const response = new Promise<Awaited<ReturnType<HeldRequest['finish']>>>((res, rej) => {
      resolveResponse = res;
      rejectResponse = rej;
    });
    const req = http.request(`${url}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Expect: '100-continue' },
    });
    const finish = () => {
      req.end(body);
      return response;
    };
    req.on('continue', () => resolveHeld({ finish }));
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () =>
        resolveResponse({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, connection: res.headers.connection }),
      );
    });
    req.on('error', (err) => {
      rejectHeld(err);
      rejectResponse(err);
    });
    req.flushHeaders();
  });
}
