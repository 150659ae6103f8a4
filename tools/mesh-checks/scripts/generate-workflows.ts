// `npm run workflows --workspace @switchyard/mesh-checks`: writes one caller workflow per
// pipeline target (.github/workflows/<name>.yml), path filters from the workspace graph.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCallerWorkflows, workflowsDirectory } from "../src/ci-workflows.js";

for (const [file, text] of renderCallerWorkflows()) {
  writeFileSync(join(workflowsDirectory, file), text);
  process.stdout.write(`workflows: wrote .github/workflows/${file}\n`);
}
