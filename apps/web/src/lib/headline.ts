const THE = /^the\s+/i;

/**
 * The part of a message that its headline does not already say, so no line reads twice: under
 * "Rotation failed at setSecret", "The rotation failed at setSecret: Network error: …" shows as
 * "Network error: …", and "The rotation failed at setSecret." as nothing (null). A message that does
 * not start with the headline is shown whole.
 */
export const detailAfterHeadline = (headline: string, message: string | null | undefined): string | null => {
  const text = (message ?? '').trim();
  const head = headline.trim().replace(THE, '');
  const body = text.replace(THE, '');
  if (!head || !body.toLowerCase().startsWith(head.toLowerCase())) return text || null;
  const rest = body
    .slice(head.length)
    .replace(/^[\s:;,.\u2014\u2013-]+/, '')
    .trim();
  return rest ? rest.charAt(0).toUpperCase() + rest.slice(1) : null;
};
