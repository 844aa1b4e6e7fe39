import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

import {
  loadConfig,
  VARIABLES,
} from '../../apps/organizations/src/config/configuration.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: unknown };
}

const compose = parse(readFileSync(`${REPO}/docker-compose.yml`, 'utf8')) as {
  services: Record<string, Service>;
};

// Checked here because no container engine runs on the build machines: the
// file parses, pins its images, checks every service's health, and sets only
// variables the service knows, with values its configuration accepts.
describe('docker-compose.yml', () => {
  it('runs EventStoreDB, Redis and the service, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'eventstore',
      'organizations',
      'redis',
    ]);
    for (const service of Object.values(compose.services)) {
      expect(service.healthcheck?.test).toBeDefined();
    }
  });

  it('pins every image to an exact version', () => {
    for (const service of Object.values(compose.services)) {
      if (service.image !== undefined)
        expect(service.image).toMatch(/:\d+\.\d+\.\d+/);
    }
  });

  it('sets only variables of the configuration schema, with valid values', () => {
    const environment = compose.services.organizations?.environment ?? {};
    const known = Object.keys(VARIABLES);
    for (const variable of Object.keys(environment))
      expect(known).toContain(variable);
    const config = loadConfig(environment);
    expect(config.EVENT_STORE.kind).toBe('esdb');
    expect(config.READ_MODELS.kind).toBe('redis');
  });
});
