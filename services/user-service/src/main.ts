import { runGrpcService } from "@switchyard/service-host";
import { userService } from "./user-service.js";

await runGrpcService(userService);
