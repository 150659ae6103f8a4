// `npm run mesh:generate`: writes the Linkerd policy manifests derived from the access policy.
import { renderLinkerdPolicy } from "../src/linkerd-policy-manifests.js";
import { meshPolicyDirectory, writeManifestFiles } from "../src/mesh-policy-files.js";

const files = renderLinkerdPolicy();
writeManifestFiles(meshPolicyDirectory, files);
for (const generated of files) {
  process.stdout.write(`mesh:generate: wrote mesh/policy/${generated.name}\n`);
}
