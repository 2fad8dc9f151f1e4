import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';

let moto: MotoServer | undefined;

/**
 * One moto server for the API tests, on 127.0.0.1: on TEST_MOTO_PORT when set (sessions side by side keep
 * to their own ports), else a free one. TEST_MOTO_LOG keeps its output (the launcher's and the functions').
 */
export async function setup(project: TestProject) {
  moto = await startMoto({ port: Number(process.env.TEST_MOTO_PORT ?? 0), logFile: process.env.TEST_MOTO_LOG });
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown() {
  await moto?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}
