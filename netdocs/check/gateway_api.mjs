// Validate Gateway API objects with the validators that @kubernetes-models/gateway-api ships.
//
// netdocs/check/gateway_api.py starts this once per process and sends it one line per request:
// a JSON list of {apiVersion, kind, data}. It answers each with one line, a JSON list with one
// entry per input, either
// {known: false} (the package has no such kind) or {known: true, errors: [...]} where each
// error is ajv's {instancePath, keyword, params}. Unknown fields are checked in Python.
import { createInterface } from "node:readline";

const PACKAGE = "@kubernetes-models/gateway-api";
const GROUPS = new Set(["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"]);

async function check({ apiVersion, kind, data }) {
  const [group, version] = String(apiVersion).split("/");
  if (!GROUPS.has(group) || !version || !/^[A-Za-z0-9]+$/.test(String(kind))) {
    return { known: false };
  }
  let model;
  try {
    model = (await import(`${PACKAGE}/${group}/${version}/${kind}`))[kind];
  } catch {
    return { known: false };
  }
  if (typeof model !== "function" || model.kind !== kind) return { known: false };
  try {
    new model(data).validate();
    return { known: true, errors: [] };
  } catch (err) {
    if (!Array.isArray(err.errors)) throw err;
    const errors = err.errors.map(({ instancePath, keyword, params }) => ({ instancePath, keyword, params }));
    return { known: true, errors };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const results = [];
  for (const doc of JSON.parse(line)) results.push(await check(doc));
  process.stdout.write(JSON.stringify(results) + "\n");
}
