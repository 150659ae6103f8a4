/** How a test (or an orchestrator) asks a deployable whether it is ready. */
export type Readiness =
  /** grpc.health.v1 Check of `service` answers SERVING (over mTLS). */
  | { kind: "grpc-health"; service: string; portVariable: string; hostVariable: string }
  /** GET `path` answers 200; over mTLS when `tls`. */
  | { kind: "http"; path: string; tls: boolean; portVariable: string; hostVariable: string };

/** One container image: a workspace package with its own Dockerfile beside it. */
export interface Deployable {
  /** Image and CLI name: `npm run images -- user-service`. */
  name: string;
  /** The workspace package `turbo prune` starts from. */
  packageName: string;
  /** Repository-relative folder of the package; its Dockerfile sits there. */
  folder: string;
  /** Container-relative path of the process the image starts. */
  entry: string;
  /** Container-relative path of the migration entry (a Job runs the same image with it). */
  migrationEntry?: string;
  readiness: Readiness;
}

const grpcReadiness = (service: string): Readiness => ({
  kind: "grpc-health",
  service,
  portVariable: "GRPC_PORT",
  hostVariable: "GRPC_HOST",
});

/** Every deployable of Switchyard, in the order their images are built and started. */
export const deployables: readonly Deployable[] = [
  {
    name: "user-service",
    packageName: "@switchyard/user-service",
    folder: "services/user-service",
    entry: "services/user-service/dist/main.js",
    migrationEntry: "services/user-service/dist/migrate.js",
    readiness: grpcReadiness("switchyard.user.v1.UserService"),
  },
  {
    name: "order-service",
    packageName: "@switchyard/order-service",
    folder: "services/order-service",
    entry: "services/order-service/dist/main.js",
    migrationEntry: "services/order-service/dist/migrate.js",
    readiness: grpcReadiness("switchyard.order.v1.OrderService"),
  },
  {
    name: "gateway",
    packageName: "@switchyard/gateway",
    folder: "gateway",
    entry: "gateway/dist/main.js",
    readiness: {
      kind: "http",
      path: "/readyz",
      tls: false,
      portVariable: "GATEWAY_PORT",
      hostVariable: "GATEWAY_HOST",
    },
  },
  {
    name: "web-bff",
    packageName: "@switchyard/web-bff",
    folder: "bff/web-bff",
    entry: "bff/web-bff/dist/main.js",
    readiness: {
      kind: "http",
      path: "/readyz",
      // The gateway's hop to the BFF is mTLS: web-bff serves nothing in cleartext.
      tls: true,
      portVariable: "WEB_BFF_PORT",
      hostVariable: "WEB_BFF_HOST",
    },
  },
];

/** Thrown for a name that is not a deployable; lists the ones that are. */
export class UnknownDeployableError extends Error {
  constructor(readonly requested: string) {
    super(
      `unknown deployable ${JSON.stringify(requested)}: expected one of ${deployables.map((d) => d.name).join(", ")}`,
    );
    this.name = "UnknownDeployableError";
  }
}

/** The deployables named (all of them for an empty list), in build order, without repeats. */
export function selectDeployables(names: readonly string[]): Deployable[] {
  if (names.length === 0) return [...deployables];
  for (const name of names) {
    if (!deployables.some((deployable) => deployable.name === name)) {
      throw new UnknownDeployableError(name);
    }
  }
  return deployables.filter((deployable) => names.includes(deployable.name));
}
