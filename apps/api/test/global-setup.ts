import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '@rotation-console/harness/moto.ts';

let moto: MotoServer | undefined;

/** One moto server for the API tests, on a free port of 127.0.0.1. */
export async function setup(project: TestProject) {
  moto = await startMoto();
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
