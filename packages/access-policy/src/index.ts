export { type AccessDecision, decideAccess } from "./access-decision.js";
export {
  type AuthorizationInterceptorOptions,
  createAuthorizationInterceptor,
} from "./authorization-interceptor.js";
export { decideEndUser, type EndUserDecision } from "./end-user-decision.js";
export {
  linkerdApiVersions,
  type ManifestFile,
  renderLinkerdPolicy,
} from "./linkerd-policy-manifests.js";
export {
  meshPolicyDirectory,
  staleManifestFiles,
  writeManifestFiles,
} from "./mesh-policy-files.js";
export { isAdmin, requireAdmin, requireOwnership } from "./ownership.js";
export {
  adminScope,
  type CallerRule,
  callerRuleFor,
  connectPlatformAccess,
  type EndUserPolicy,
  endUserPolicy,
  type MeshWorkload,
  meshWorkloads,
  platformAccess,
  type ServerPolicy,
  type ServiceAccessPolicy,
  serviceAccessPolicy,
} from "./service-access-policy.js";
