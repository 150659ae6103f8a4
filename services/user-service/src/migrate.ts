// Migration entry of the user-service image: `node services/user-service/dist/migrate.js`. In
// Kubernetes a Job runs it once per rollout, before the new pods start (the host's
// runMigrationJob: exit 0 when the schema is current, 1 when a migration fails, 78 on bad config).
import { runMigrationJob } from "@switchyard/service-host";
import { userService } from "./user-service.js";

await runMigrationJob(userService);
