export { type AppOptions, buildApp } from './buildApp.ts';
export { HealthResponse } from './routes/health.ts';
export { type ViewerFrame, ViewerHub } from './viewer/ViewerHub.ts';
export { viewerPage } from './viewer/viewerPage.ts';
