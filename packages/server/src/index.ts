export {
  type ChatAgent,
  type ChatAgentDirectory,
  type ChatAgentReply,
  type ChatAgentTurn,
  chatAgentDirectory,
} from './agents/ChatAgent.ts';
export { type ApiKeyEntry, ApiKeysFile, apiKeysFromEnv, isRouteAllowed, loadApiKeysFile } from './auth/ApiKeys.ts';
export { RateLimiter, type RateLimits, type RateVerdict } from './auth/RateLimiter.ts';
export { type AppOptions, buildApp } from './buildApp.ts';
export { readSse } from './client/readSse.ts';
export { parseByteSize } from './config/parseByteSize.ts';
export {
  resolveServeConfig,
  SERVE_CONFIG_SOURCES,
  ServeConfig,
  type ServeConfigSources,
} from './config/ServeConfig.ts';
export { planStructured, readTools, type StructuredPlan, type ToolDef } from './generation/planStructured.ts';
export { parseToolCallText, type ToolCall, type ToolCallDelta, ToolCallStream } from './generation/ToolCallStream.ts';
export { Histogram } from './metrics/Histogram.ts';
export { ServerMetrics } from './metrics/ServerMetrics.ts';
// The plugins' option types; importing them also brings their `fastify` augmentations
// (`app.served`, `app.isDraining`, `app.serverMetrics`, `req.apiKey`) to users of this package.
export type { AuthPluginOptions } from './plugins/authPlugin.ts';
export type { EnginePluginOptions } from './plugins/enginePlugin.ts';
export { type ErrorEnvelope, envelopeOf, toServerError } from './plugins/errorPlugin.ts';
export { metricsPlugin } from './plugins/metricsPlugin.ts';
export { HealthResponse } from './routes/health.ts';
export { type LoadServedModelOptions, loadServedModel, type ServedModel, servedModelOf } from './ServedModel.ts';
export { SERVER_ERRORS, ServerError, type ServerErrorCode } from './ServerError.ts';
export { type ViewerFrame, ViewerHub } from './viewer/ViewerHub.ts';
export { viewerPage } from './viewer/viewerPage.ts';
