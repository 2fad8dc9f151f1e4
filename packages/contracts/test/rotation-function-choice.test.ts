import { describe, expect, it } from 'vitest';
import { RotationFunctionChoice } from '../src/rotation.ts';

const existing = (functionArn: string) => RotationFunctionChoice.safeParse({ mode: 'existing', functionArn, strategy: 'single-user' });

describe('RotationFunctionChoice', () => {
  it('When an existing function is named by its ARN, its ARN with an alias, or its name, then it is accepted', () => {
    expect(existing('arn:aws:lambda:us-east-1:123456789012:function:orders-rotation').success).toBe(true);
    expect(existing('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:orders-rotation:live').success).toBe(true);
    expect(existing('SecretsManager-postgres-single-user').success).toBe(true);
  });

  it('When the function is something Lambda cannot name (found by fuzzing: it used to reach AWS and come back as a 502), then functionArn is refused', () => {
    for (const bad of ['\u{9f8d}', 'arn:aws:s3:::bucket', 'orders rotation', 'arn:aws:lambda:us-east-1:123:function:x']) {
      const result = existing(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['functionArn']);
      expect(result.error?.issues[0]?.message).toMatch(/must be a Lambda function ARN/);
    }
  });
});
