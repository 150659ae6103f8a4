import {
  arrayOf,
  boolean,
  customResource,
  integer,
  type JsonSchema,
  object,
  oneOf,
  string,
  stringMap,
} from "./schema-builders.js";

/**
 * CloudNativePG `Cluster` (postgresql.cnpg.io/v1), written from the CRD of
 * cloudnative-pg/cloudnative-pg (config/crd/bases/postgresql.cnpg.io_clusters.yaml). The CRD is
 * large; this covers the parts of `spec` Switchyard sets and their documented siblings, with the
 * CRD's types and enums. A field outside it is reported as unknown: check it against the CRD
 * and add it here when a manifest starts using it.
 */
const quantityMap: JsonSchema = {
  type: "object",
  additionalProperties: { anyOf: [{ type: "string" }, { type: "integer" }] },
};

const storage = object({
  size: string,
  storageClass: string,
  resizeInUseVolumes: boolean,
});

const cluster = customResource(
  "postgresql.cnpg.io/v1",
  "Cluster",
  object(
    {
      description: string,
      instances: integer(1),
      imageName: string,
      imagePullPolicy: oneOf("Always", "Never", "IfNotPresent"),
      primaryUpdateStrategy: oneOf("unsupervised", "supervised"),
      primaryUpdateMethod: oneOf("switchover", "restart"),
      enableSuperuserAccess: boolean,
      minSyncReplicas: integer(0),
      maxSyncReplicas: integer(0),
      startDelay: integer(),
      stopDelay: integer(),
      smartShutdownTimeout: integer(),
      switchoverDelay: integer(),
      bootstrap: object({
        initdb: object({
          database: string,
          owner: string,
          secret: object({ name: string }, ["name"]),
          encoding: string,
          localeCollate: string,
          localeCType: string,
          dataChecksums: boolean,
          postInitApplicationSQL: arrayOf(string),
        }),
      }),
      postgresql: object({
        parameters: stringMap,
        pg_hba: arrayOf(string),
        shared_preload_libraries: arrayOf(string),
      }),
      inheritedMetadata: object({ labels: stringMap, annotations: stringMap }),
      affinity: object({
        enablePodAntiAffinity: boolean,
        topologyKey: string,
        podAntiAffinityType: oneOf("preferred", "required"),
        nodeSelector: stringMap,
      }),
      storage,
      walStorage: storage,
      resources: object({ requests: quantityMap, limits: quantityMap }),
      monitoring: object({ enablePodMonitor: boolean }),
    },
    [],
  ),
);

export const cloudNativePgSchemas: Record<string, JsonSchema> = {
  "postgresql.cnpg.io/v1/Cluster": cluster,
};
