import { functionNameOfArn } from '../../../lib/lambda-arn.ts';
const countFormat = new Intl.NumberFormat('en-US');

/** 10000 → "10,000". */
export const formatCount = (value: number): string => countFormat.format(value);

/** 78.333 → "78.3%", 100 → "100%". */
export const formatPercent = (value: number): string => `${Math.round(value * 10) / 10}%`;

/** `arn:aws:lambda:us-east-1:123456789012:function:rotate-postgres` → "rotate-postgres". */
export const lambdaFunctionName = (arn: string | null): string | null => (arn ? functionNameOfArn(arn) : null);
