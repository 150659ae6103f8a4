import { runConnectService } from "@switchyard/connect-host";
import { gateway } from "./gateway.js";

await runConnectService(gateway);
