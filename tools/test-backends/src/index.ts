export {
  type RowCounts,
  type ServiceBackends,
  type ServiceBackendsOptions,
  startServiceBackends,
} from "./service-backends.js";
