/**
 * Preload (`node --import tsx --import=./src/platform/tracing.ts src/main.ts`, apps/api's `start`):
 * starts OpenTelemetry tracing before the app imports express, pg and ioredis, when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set. When it is not, nothing of the SDK is even loaded and
 * platform/spans.ts stays a no-op. The OTEL_* variables are read here and by the SDK itself (the
 * OpenTelemetry specification names them), not by config/env.ts, because this runs before the app.
 * architecture.md, "Observability".
 */
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
  const { startTracing } = await import('./tracing-sdk.js');
  const sdk = await startTracing();
  // main.ts exits the process after its own shutdown; flush what is buffered first.
  process.once('beforeExit', () => void sdk.shutdown());
  const flush = () => void sdk.shutdown().catch(() => {});
  process.once('SIGTERM', flush);
  process.once('SIGINT', flush);
}
export {};
