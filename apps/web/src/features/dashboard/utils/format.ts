const countFormat = new Intl.NumberFormat('en-US');

/** 10000 → "10,000". */
export const formatCount = (value: number): string => countFormat.format(value);

/** 78.333 → "78.3%", 100 → "100%". */
export const formatPercent = (value: number): string => `${Math.round(value * 10) / 10}%`;

/** `arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres` → "rotate-postgres". */
export const lambdaFunctionName = (arn: string | null): string | null => {
  if (!arn) return null;
  const segments = arn.split(':');
  const functionIndex = segments.indexOf('function');
  if (functionIndex >= 0 && segments[functionIndex + 1]) return segments[functionIndex + 1] ?? arn;
  return segments.at(-1) || arn;
};
