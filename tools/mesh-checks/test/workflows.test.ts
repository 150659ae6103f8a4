import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  pipelineTargets,
  renderCallerWorkflows,
  reusablePipelineFile,
  triggerPaths,
  workspacePackages,
} from "../src/ci-workflows.js";
import {
  callerInputProblems,
  callerPermissionProblems,
  lintWorkflows,
  readWorkflows,
} from "../src/workflow-lint.js";

const reusablePath = `.github/workflows/${reusablePipelineFile}`;

describe(".github/workflows (CI per deployable)", () => {
  const workflows = readWorkflows();

  it("one reusable pipeline and one caller per deployable (and one for mesh/)", () => {
    expect(workflows.map((file) => file.path).sort()).toEqual(
      [
        reusablePath,
        ...pipelineTargets.map((target) => `.github/workflows/${target.name}.yml`),
      ].sort(),
    );
  });

  it("passes actionlint", async () => {
    expect(await lintWorkflows(workflows)).toEqual([]);
  });

  it("actionlint fails a workflow that reads an undefined input", async () => {
    const reusable = workflows.find((file) => file.path === reusablePath);
    // A GitHub expression, not a template literal.
    const expression = (name: string) => `PACKAGE: $\{{ inputs.${name} }}`;
    const text = reusable?.text.replace(expression("package"), expression("pakage"));
    expect(text).not.toBe(reusable?.text);
    const results = await lintWorkflows([{ path: reusablePath, text: text ?? "" }]);
    expect(results.map((result) => result.message)).toEqual([
      expect.stringContaining('property "pakage" is not defined'),
    ]);
  });

  it("callers pass exactly the inputs the pipeline declares (a check across files)", () => {
    expect(callerInputProblems(workflows)).toEqual([]);
    const broken = workflows.map((file) =>
      file.path.endsWith("/gateway.yml")
        ? { ...file, text: file.text.replace('package: "@switchyard/gateway"', "colour: blue") }
        : file,
    );
    expect(callerInputProblems(broken)).toEqual([
      '.github/workflows/gateway.yml job pipeline: input "colour" is not declared',
      '.github/workflows/gateway.yml job pipeline: required input "package" is missing',
    ]);
  });

  it("no job of the pipeline asks for more permissions than its callers grant", () => {
    expect(callerPermissionProblems(workflows)).toEqual([]);
    const broken = workflows.map((file) =>
      file.path === reusablePath
        ? {
            ...file,
            text: file.text.replace(
              "    permissions:\n      contents: read\n",
              "    permissions:\n      contents: read\n      packages: write\n",
            ),
          }
        : file,
    );
    expect(callerPermissionProblems(broken)).toEqual([
      ".github/workflows/mesh.yml job pipeline: deployable-pipeline.yml verify asks for packages: write, the caller grants none",
    ]);
  });

  it("the callers are up to date with the workspace graph (npm run workflows -w @switchyard/mesh-checks)", () => {
    const stale = [...renderCallerWorkflows()]
      .filter(
        ([file, text]) =>
          workflows.find((w) => w.path === `.github/workflows/${file}`)?.text !== text,
      )
      .map(([file]) => file);
    expect(
      stale,
      `stale: ${stale.join(", ")} — run npm run workflows --workspace @switchyard/mesh-checks`,
    ).toEqual([]);
  });

  it("a caller triggers on its package, its workspace dependencies and the contracts", () => {
    const userService = pipelineTargets.find((target) => target.name === "user-service");
    if (!userService) throw new Error("user-service has no pipeline target");
    const paths = triggerPaths(userService, workspacePackages());
    expect(paths).toContain("services/user-service/**");
    expect(paths).toContain("packages/events/**");
    expect(paths).toContain("proto/**");
    expect(paths).not.toContain("gateway/**");
  });

  it("the pipeline installs, runs buf lint, buf breaking against main, affected tests, and pushes images only from main", () => {
    const pipeline = parse(workflows.find((file) => file.path === reusablePath)?.text ?? "") as {
      jobs: Record<
        string,
        { if?: string; steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }
      >;
    };
    const verify = pipeline.jobs.verify?.steps ?? [];
    const runs = verify.map((step) => step.run ?? "").join("\n");
    expect(
      verify.find((step) => step.uses?.startsWith("actions/checkout"))?.with?.["fetch-depth"],
    ).toBe(0);
    expect(runs).toContain("npm ci");
    expect(runs).toContain("buf lint");
    expect(runs).toContain("tools/checks/buf-breaking.sh");
    expect(runs).toMatch(/turbo run typecheck test[\s\S]*--affected/);
    expect(pipeline.jobs.image?.if).toContain("github.ref == 'refs/heads/main'");
    expect(pipeline.jobs.image?.steps.map((step) => step.run ?? "").join("\n")).toContain(
      "docker push",
    );
  });
});
