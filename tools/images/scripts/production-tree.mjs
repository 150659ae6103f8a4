// Runs INSIDE an image's build stage, after `npm ci` and the build: copies into OUT_DIR only what
// one deployable needs at run time — its production dependency closure as npm resolves it
// (`npm ls --omit=dev`), and of each workspace package only the files listed below. A pruned
// monorepo still holds workspaces that are only devDependencies (testing, embedded Postgres);
// `npm ci --omit=dev` would keep their dependencies, because npm treats every workspace as a root.
// No dependencies of its own: it runs before anything else is installed in the image.
//
// usage: node production-tree.mjs <workspace package name> <out dir>
import { spawnSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync, readlinkSync, realpathSync, symlinkSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** Files of a workspace package used at run time; sources, tests and configs stay behind. */
const workspaceRuntimeFiles = ["package.json", "dist", "drizzle", "descriptors.binpb"];

const [packageName, outArgument] = process.argv.slice(2);
if (!packageName || !outArgument) {
  console.error("usage: node production-tree.mjs <workspace package name> <out dir>");
  process.exit(2);
}
const root = process.cwd();
const out = resolve(outArgument);

const listing = spawnSync(
  "npm",
  ["ls", "--omit=dev", "--all", "--parseable", `--workspace=${packageName}`],
  { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
);
if (listing.status !== 0 || listing.stdout.trim() === "") {
  console.error(`npm ls failed for ${packageName} (exit ${listing.status}):\n${listing.stderr}`);
  process.exit(1);
}

const packagePaths = [...new Set(listing.stdout.split("\n").filter((line) => line !== ""))]
  .map((path) => relative(root, path))
  .filter((path) => path !== "");

const copiedWorkspaces = new Set();
for (const path of packagePaths) {
  const source = join(root, path);
  if (lstatSync(source).isSymbolicLink()) {
    // node_modules/@scope/name -> ../../packages/name: keep the link, copy the workspace.
    mkdirSync(dirname(join(out, path)), { recursive: true });
    symlinkSync(readlinkSync(source), join(out, path));
    copyWorkspace(relative(root, realpathSync(source)));
  } else {
    // A registry package: everything but its nested node_modules, which `npm ls` lists
    // separately when they are production dependencies.
    const nested = `${source}${sep}node_modules`;
    cpSync(source, join(out, path), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (file) => file !== nested,
    });
  }
}
cpSync(join(root, "package.json"), join(out, "package.json"));
console.log(
  `production tree of ${packageName}: ${packagePaths.length} packages (${copiedWorkspaces.size} workspaces) in ${out}`,
);

function copyWorkspace(workspace) {
  if (copiedWorkspaces.has(workspace)) return;
  copiedWorkspaces.add(workspace);
  for (const file of workspaceRuntimeFiles) {
    const source = join(root, workspace, file);
    if (!exists(source)) continue;
    cpSync(source, join(out, workspace, file), { recursive: true, verbatimSymlinks: true });
  }
}

function exists(path) {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
