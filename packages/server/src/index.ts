export { type AppOptions, buildApp } from './buildApp.ts';
export { HealthResponse } from './routes/health.ts';
