import { z } from 'zod';

/** The actions the one policy decides on. Names are `resource:verb`. */
export const Action = z.enum(['health:read', 'secrets:list', 'secrets:read']);
export type Action = z.infer<typeof Action>;

export const Role = z.enum(['viewer', 'operator', 'admin']);
export type Role = z.infer<typeof Role>;
