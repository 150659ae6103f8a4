import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import { TracingConfigError } from "./tracing-config.js";

/**
 * The sampler named by OTEL_TRACES_SAMPLER (the spec's names). The parent-based ones (the
 * default) follow the sampled flag of an incoming `traceparent`: a caller that did not sample
 * a request gets no spans from Switchyard either, and one that did gets all of them.
 */
export function samplerFromEnv(name: string, arg: string | undefined): Sampler {
  switch (name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(ratioOf(arg));
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratioOf(arg)) });
    default:
      throw new TracingConfigError(
        `OTEL_TRACES_SAMPLER=${name} is not supported (always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio)`,
      );
  }
}

function ratioOf(arg: string | undefined): number {
  if (arg === undefined) return 1;
  const ratio = Number(arg);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG=${arg} is not a ratio in [0, 1]`);
  }
  return ratio;
}
