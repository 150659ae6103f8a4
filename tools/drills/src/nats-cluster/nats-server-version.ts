import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface NatsServerVersion {
  /** e.g. "2.9.10" */
  version: string;
  /** `jetstream { sync_interval: always }` is understood from 2.10 on (Debian ships 2.9). */
  supportsSyncAlways: boolean;
}

/** Asks the binary for its version (`nats-server --version` prints `nats-server: v2.9.10`). */
export async function natsServerVersion(binary: string): Promise<NatsServerVersion> {
  const { stdout } = await run(binary, ["--version"], { timeout: 10_000 });
  const match = /v?(\d+)\.(\d+)\.(\d+)/.exec(stdout);
  if (!match) throw new Error(`nats: cannot read the version of ${binary} from ${stdout.trim()}`);
  const [, major, minor] = match.map(Number) as [number, number, number, number];
  return {
    version: `${match[1]}.${match[2]}.${match[3]}`,
    supportsSyncAlways: major > 2 || (major === 2 && minor >= 10),
  };
}
