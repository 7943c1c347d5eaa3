// Validate Gateway API objects with the validators that @kubernetes-models/gateway-api ships.
//
// netdocs/check/gateway_api.py runs this once per validation run: stdin is a JSON list of
// {apiVersion, kind, data}; stdout is a JSON list, one entry per input, either
// {known: false} (the package has no such kind) or {known: true, errors: [...]} where each
// error is ajv's {instancePath, keyword, params}. Unknown fields are checked in Python.
import { readFileSync } from "node:fs";

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

const input = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const doc of input) results.push(await check(doc));
process.stdout.write(JSON.stringify(results));
