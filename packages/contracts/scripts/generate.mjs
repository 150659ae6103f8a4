// Regenerates everything under src/gen and the reflection descriptor set from proto/.
// Runs buf from the repository root (where buf.yaml and buf.gen.yaml live); local plugins only.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(packageDir, "..", "..");
const buf = join(root, "node_modules", ".bin", "buf");

rmSync(join(packageDir, "src", "gen"), { recursive: true, force: true });
const run = (args) => execFileSync(buf, args, { cwd: root, stdio: "inherit" });
run(["generate"]);
run(["build", "-o", join(packageDir, "descriptors.binpb")]);
console.log("contracts: generated src/gen and descriptors.binpb from proto/");
