import { runGrpcService } from "@switchyard/service-host";
import { orderService } from "./order-service.js";

await runGrpcService(orderService);
