export { type BootOptions, bootGrpcService } from "./boot-grpc-service.js";
export {
  type DatabaseConfig,
  databaseConfigShape,
  type GrpcServiceConfig,
  type GrpcServiceConfigShape,
  grpcServiceConfigShape,
  type IdempotencyConfig,
  idempotencyConfigShape,
} from "./grpc-service-config.js";
export {
  type BackgroundWork,
  bindService,
  type Clock,
  defineGrpcService,
  type GrpcServiceContext,
  type GrpcServiceDeclaration,
  type ServiceBinding,
} from "./grpc-service-declaration.js";
export {
  createLoadShedder,
  isNeverShed,
  type LoadShedder,
  type LoadSheddingConfig,
  loadSheddingConfigShape,
} from "./load-shedding.js";
export { configErrorExitCode, runGrpcService, startupFailureExitCode } from "./run-grpc-service.js";
export { runMigrationJob } from "./run-migration-job.js";
export { orderedShutdownSteps, type ShutdownParts } from "./shutdown-plan.js";
export { standardInterceptors } from "./standard-interceptors.js";
export {
  type RunningGrpcService,
  type StartGrpcServiceOptions,
  startGrpcService,
} from "./start-grpc-service.js";
