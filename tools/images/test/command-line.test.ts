import { describe, expect, it } from "vitest";
import { CommandLineError, parseImagesCommandLine } from "../src/command-line.js";
import { selectDeployables, UnknownDeployableError } from "../src/deployables.js";

describe("npm run images command line", () => {
  it("builds every deployable with the default engine, names and base when given nothing", () => {
    expect(parseImagesCommandLine([])).toEqual({
      names: [],
      engine: undefined,
      sandbox: false,
      localBaseNodeDir: undefined,
      nodeImage: undefined,
      repository: "localhost/switchyard",
      tag: "dev",
      help: false,
    });
    expect(selectDeployables([]).map((d) => d.name)).toEqual([
      "user-service",
      "order-service",
      "gateway",
      "web-bff",
    ]);
  });

  it("keeps build order whatever order the names come in", () => {
    const options = parseImagesCommandLine(["gateway", "user-service", "--tag", "1.2.3"]);
    expect(selectDeployables(options.names).map((d) => d.name)).toEqual([
      "user-service",
      "gateway",
    ]);
    expect(options.tag).toBe("1.2.3");
  });

  it.each([
    [["--colour"], /Unknown option '--colour'/],
    [["--engine", "lxc"], /--engine must be podman or docker/],
    [["--engine", "docker", "--sandbox"], /--sandbox configures podman/],
    [["--local-base", ".ci/node24", "--node-image", "node:24"], /either --local-base or/],
    [["--tag", "has space"], /not a valid image tag/],
  ])("rejects %j with a message and the usage", (argv, message) => {
    expect(() => parseImagesCommandLine(argv)).toThrow(CommandLineError);
    expect(() => parseImagesCommandLine(argv)).toThrow(message);
    expect(() => parseImagesCommandLine(argv)).toThrow(/usage: npm run images/);
  });

  it("names the deployables when asked for one that does not exist", () => {
    expect(() => selectDeployables(["billing"])).toThrow(UnknownDeployableError);
    expect(() => selectDeployables(["billing"])).toThrow(
      'unknown deployable "billing": expected one of user-service, order-service, gateway, web-bff',
    );
  });
});
