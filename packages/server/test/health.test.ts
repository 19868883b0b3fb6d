import { describe, expect, it } from 'vitest';
import { buildApp, HealthResponse } from '../src/index.ts';

describe('GET /health', () => {
  it('answers 200 with the schema and the model name', async () => {
    const app = await buildApp({ modelName: 'tiny' });
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = HealthResponse.parse(res.json());
    expect(body.model).toBe('tiny');
    await app.close();
  });

  it('answers 404 for an unknown route', async () => {
    const app = await buildApp();
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    await app.close();
  });
});
