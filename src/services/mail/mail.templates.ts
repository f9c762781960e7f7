import { config } from '../../config';
import type { Mail } from './mail.transport';

const APP = 'Car Community';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain-text and an HTML body saying the same thing: paragraphs, then an optional code and link. */
function compose(to: string, subject: string, parts: { intro: string[]; code?: string; link?: string; outro: string[] }): Mail {
  const text = [
    ...parts.intro,
    ...(parts.code ? [`Your code: ${parts.code}`] : []),
    ...(parts.link ? [`Or open this link: ${parts.link}`] : []),
    ...parts.outro,
    `— ${APP}`,
  ].join('\n\n');
  const paragraphs = parts.intro.map((p) => `<p>${escapeHtml(p)}</p>`);
  const code = parts.code
    ? [`<p style="font-size:24px;font-weight:bold;letter-spacing:4px;font-family:monospace">${escapeHtml(parts.code)}</p>`]
    : [];
  const link = parts.link ? [`<p><a href="${escapeHtml(parts.link)}">${escapeHtml(parts.link)}</a></p>`] : [];
  const outro = parts.outro.map((p) => `<p style="color:#666">${escapeHtml(p)}</p>`);
  const html = `<!doctype html><html><body>${[...paragraphs, ...code, ...link, ...outro].join('')}<p>— ${APP}</p></body></html>`;
  return { to, subject, text, html };
}

export function passwordResetMail(to: string, code: string, token: string): Mail {
  return compose(to, `${APP}: reset your password`, {
    intro: ['Someone (hopefully you) asked to reset the password of your account.'],
    code,
    link: `${config.APP_URL}/reset-password?token=${encodeURIComponent(token)}`,
    outro: ['The code and the link work once, for 15 minutes. If you did not ask for this, ignore this email: your password stays as it is.'],
  });
}

export function verificationMail(to: string, code: string, token: string): Mail {
  return compose(to, `${APP}: confirm your email address`, {
    intro: ['Please confirm that this address belongs to you.'],
    code,
    link: `${config.APP_URL}/verify-email?token=${encodeURIComponent(token)}`,
    outro: ['The code and the link work for 24 hours. If you did not create an account or change your email, ignore this email.'],
  });
}

/** Goes to the OLD address after an email change: the owner learns of it even if it was not them. */
export function emailChangedMail(to: string, newEmail: string): Mail {
  return compose(to, `${APP}: your email address was changed`, {
    intro: [`The email address of your account was changed to ${maskEmail(newEmail)}.`],
    outro: ['If you did not do this, contact us at once: someone else may control your account.'],
  });
}

/** `jane.doe@example.com` → `j******e@example.com`: enough to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const masked = local.length <= 2 ? `${local[0] ?? ''}*` : `${local[0]}${'*'.repeat(local.length - 2)}${local[local.length - 1]}`;
  return `${masked}@${domain}`;
}
