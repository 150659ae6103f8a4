export { toHttpBaseUrl, toHttpBaseUrls } from "./http-base-url.js";
export { defaultPorts, type ServiceName, serviceNames } from "./service-names.js";
export { kubernetesTopology, localTopology, type Topology } from "./topology.js";
export {
  type TopologyConfig,
  topologyConfigShape,
  topologyFromConfig,
} from "./topology-config.js";
