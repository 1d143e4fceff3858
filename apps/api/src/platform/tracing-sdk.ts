import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { NodeSDK, type tracing } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { markTracingEnabled } from './spans.js';

export interface TracingOptions {
  /** Span processors to use instead of the OTLP exporter the OTEL_* variables configure (tests). */
  spanProcessors?: tracing.SpanProcessor[];
}

/**
 * Start the OpenTelemetry SDK: HTTP server spans, Express route spans, pg and ioredis spans,
 * exported over OTLP as the standard OTEL_* variables say (OTEL_EXPORTER_OTLP_ENDPOINT,
 * OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME, OTEL_TRACES_SAMPLER...).
 *
 * Must run before express, pg and ioredis are imported: the app is ESM, so the instrumentations
 * patch modules through import-in-the-middle's loader hook, which only sees imports made after it
 * is registered. Only the modules an instrumentation asks for are wrapped (the message channel
 * tells the hook their names), not every module the app loads.
 */
export async function startTracing(options: TracingOptions = {}): Promise<NodeSDK> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'ticketing-api',
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would be most of the spans and tell nothing.
        ignoreIncomingRequestHook: (req) => req.url === '/metrics' || req.url === '/health',
      }),
      // Router and handler spans; one span per middleware (helmet, session, rate limit...) would
      // bury the use case.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  markTracingEnabled();
  await waitForAllMessagesAcknowledged();
  return sdk;
}
