export type ErrorLocation = 'body' | 'query' | 'params' | 'headers';

export interface FieldError {
  path: string;
  message: string;
  location: ErrorLocation;
}

export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'MALFORMED_JSON'
  | 'UNAUTHENTICATED'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'EMAIL_NOT_VERIFIED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

/** The one error type of the application; the error middleware turns it into problem+json. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly errors?: FieldError[],
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(errors: FieldError[], detail = 'Invalid request'): AppError {
    return new AppError(400, 'VALIDATION_ERROR', detail, errors);
  }
  static unauthenticated(detail = 'Authentication required'): AppError {
    return new AppError(401, 'UNAUTHENTICATED', detail);
  }
  static invalidToken(detail = 'Invalid token'): AppError {
    return new AppError(401, 'INVALID_TOKEN', detail);
  }
  static forbidden(detail = 'You are not allowed to do this'): AppError {
    return new AppError(403, 'FORBIDDEN', detail);
  }
  static notFound(detail = 'Resource not found'): AppError {
    return new AppError(404, 'NOT_FOUND', detail);
  }
  static conflict(detail: string, errors?: FieldError[]): AppError {
    return new AppError(409, 'CONFLICT', detail, errors);
  }
  static rateLimited(retryAfterSeconds: number, detail = 'Too many attempts, try again later'): AppError {
    return new AppError(429, 'RATE_LIMITED', detail, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
