import type { ContainerEngine } from "../../../src/container-engine.js";
import { type EngineResult, runEngine } from "../../../src/run-engine.js";
import { secretsMountPath } from "./workload-secrets.js";

export interface ContainerSpec {
  name: string;
  image: string;
  env: Record<string, string>;
  /** Folder mounted read-only at secretsMountPath. */
  secretsDir: string;
  /** Overrides the image's CMD (the migration entry). */
  command?: string[];
}

/**
 * `run` arguments as a restricted Kubernetes pod would have it: read-only root filesystem
 * (without podman's default tmpfs on /tmp, which a pod does not get either), no capabilities,
 * no privilege escalation, the image's own user. Host networking: the sandbox has no bridge.
 */
function runArguments(engine: ContainerEngine, spec: ContainerSpec): string[] {
  return [
    "--name",
    spec.name,
    ...(engine.network ? [`--network=${engine.network}`] : []),
    "--read-only",
    "--read-only-tmpfs=false",
    "--cap-drop=ALL",
    "--security-opt=no-new-privileges",
    "--volume",
    `${spec.secretsDir}:${secretsMountPath}:ro`,
    ...Object.entries(spec.env).flatMap(([key, value]) => ["--env", `${key}=${value}`]),
    spec.image,
    ...(spec.command ?? []),
  ];
}

/** Runs a container to its end (a Job) and removes it; resolves with its exit and output. */
export function runToCompletion(
  engine: ContainerEngine,
  spec: ContainerSpec,
): Promise<EngineResult> {
  return runEngine(engine, ["run", "--rm", ...runArguments(engine, spec)], { check: false });
}

/** Starts a long-running container in the background. */
export async function startContainer(engine: ContainerEngine, spec: ContainerSpec): Promise<void> {
  await runEngine(engine, ["run", "--detach", ...runArguments(engine, spec)]);
}

/** The container's output so far (for failure messages). */
export async function containerLogs(engine: ContainerEngine, name: string): Promise<string> {
  const logs = await runEngine(engine, ["logs", name], { check: false });
  return `${logs.stdout}${logs.stderr}`.trim().split("\n").slice(-30).join("\n");
}

/** Sends SIGTERM, waits up to `graceSeconds`, and resolves with the process's exit code. */
export async function stopContainer(
  engine: ContainerEngine,
  name: string,
  graceSeconds: number,
): Promise<number> {
  await runEngine(engine, ["stop", "--time", String(graceSeconds), name]);
  const inspect = await runEngine(engine, ["inspect", "--format", "{{.State.ExitCode}}", name]);
  return Number(inspect.stdout.trim());
}

/** Runs a command inside a running container; resolves with its exit and output. */
export function execInContainer(
  engine: ContainerEngine,
  name: string,
  command: string[],
): Promise<EngineResult> {
  return runEngine(engine, ["exec", name, ...command], { check: false });
}

/** Removes containers, running or not; ignores ones that do not exist. */
export async function removeContainers(engine: ContainerEngine, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await runEngine(engine, ["rm", "--force", "--ignore", "--time", "2", ...names], { check: false });
}
