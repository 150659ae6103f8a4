export {
  findPromtool,
  type PromtoolVerdict,
  promtoolCheckMetrics,
  promtoolMissingMessage,
} from "./testing/promtool.js";
export { type Sample, samplesOf, scrape, sumOf } from "./testing/scrape.js";
