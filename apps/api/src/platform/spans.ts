import { SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Spans for use cases, and the active trace for log lines. With tracing off (no
 * OTEL_EXPORTER_OTLP_ENDPOINT, platform/tracing.ts) no SDK is loaded: `withSpan` calls its
 * function directly and `activeTraceIds` finds no span, so the hot paths pay one branch.
 */
let enabled = false;

/** Called by startTracing once the SDK runs (platform/tracing-sdk.ts). */
export function markTracingEnabled(): void {
  enabled = true;
}

/** Run `fn` inside a span named `name` (a child of the active span, e.g. the HTTP request's). */
export function withSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  return trace.getTracer('@ticketing/api').startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's trace and span ids, named as OpenTelemetry's log data model names them. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  if (!enabled) return undefined;
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : undefined;
}
