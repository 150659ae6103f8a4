/** One sample line of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** GETs a /metrics URL and returns its text (throws on a non-200 answer). */
export async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}

/**
 * The samples of `name` in a scrape (comments skipped), labels parsed — enough for assertions
 * like "the _count of PlaceOrder with code 3 is 2". Label values are unescaped.
 */
export function samplesOf(exposition: string, name: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of exposition.split("\n")) {
    if (line.startsWith("#") || !line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== name || match[3] === undefined) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? "").matchAll(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g,
    )) {
      if (label[1] !== undefined && label[2] !== undefined) {
        labels[label[1]] = label[2].replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      }
    }
    samples.push({ name, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples of `name` whose labels include every pair of `where`. */
export function sumOf(
  exposition: string,
  name: string,
  where: Record<string, string> = {},
): number {
  return samplesOf(exposition, name)
    .filter((sample) => Object.entries(where).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);
}
