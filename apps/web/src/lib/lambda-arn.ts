/** `arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres[:qualifier]` → "rotate-postgres"; anything else as it is. */
export const functionNameOfArn = (arn: string): string => {
  const segments = arn.split(':');
  const functionIndex = segments.indexOf('function');
  if (functionIndex >= 0 && segments[functionIndex + 1]) return segments[functionIndex + 1] ?? arn;
  return segments.at(-1) || arn;
};
