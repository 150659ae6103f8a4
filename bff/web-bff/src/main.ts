import { runConnectService } from "@switchyard/connect-host";
import { webBff } from "./web-bff.js";

await runConnectService(webBff);
